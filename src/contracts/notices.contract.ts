/**
 * `GET /api/notices`: what the dashboard shows as banners above every page, most urgent first. The same
 * notices appear in App Home.
 */
export interface NoticeDto {
  /** Stable per notice (a dismissal is remembered by it). */
  id: string;
  kind: 'broken_installation' | 'quota' | 'announcement';
  level: 'error' | 'warning' | 'maintenance' | 'info';
  title: string;
  /** Plain text, or Markdown for announcements. */
  text: string;
  link: { href: string; label: string } | null;
  dismissible: boolean;
}

export interface NoticesDto {
  notices: NoticeDto[];
}

/** The operator view's list of installations Slack refused the token of. */
export interface BrokenInstallationDto {
  tenantId: string;
  tenantName: string;
  errorCode: string;
  method: string;
  brokenAt: string;
}

export interface BrokenInstallationsDto {
  count: number;
  items: BrokenInstallationDto[];
}
