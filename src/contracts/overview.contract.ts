/** `GET /api/overview`: install and token health, plan and quota use, this month's questions. */
export interface QuotaUseDto {
  used: number;
  limit: number;
}

export interface OverviewDto {
  workspace: { tenantId: string; name: string; status: 'active' | 'inactive' | 'suspended'; isDemo: boolean };
  install: {
    installed: boolean;
    installedAt: string | null;
    installedBy: string | null;
    teamName: string | null;
    isEnterpriseInstall: boolean;
    scopes: string[];
    /** Scopes Lore needs that this install did not grant: reinstall to fix. */
    missingScopes: string[];
    tokenExpiresAt: string | null;
    /** Token rotation is on (a refresh token is stored). */
    tokenRotates: boolean;
    /** The last event or question received from the workspace. */
    lastEventAt: string | null;
    reinstallUrl: string;
  };
  plan: { id: string; name: string };
  quotas: {
    questions: QuotaUseDto;
    tokens: QuotaUseDto;
    documents: QuotaUseDto;
    chunks: QuotaUseDto;
  };
  month: {
    questions: number;
    answered: number;
    unanswered: number;
    thumbsUp: number;
    thumbsDown: number;
    openGaps: number;
  };
}
