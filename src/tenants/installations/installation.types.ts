/** A token with what rotation needs: a refresh token and when the access token expires. */
export interface TokenSet {
  token: string;
  refreshToken?: string;
  expiresAt?: Date;
}

/** An install as Slack's OAuth exchange describes it (plaintext tokens: held in memory only). */
export interface NewInstallation {
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  enterpriseUrl: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  tokenType: string | null;
  authVersion: 'v1' | 'v2';
  metadata: string | null;
  incomingWebhook: Record<string, string | undefined> | null;
  bot: (TokenSet & { id: string; userId: string; scopes: string[] }) | null;
  user: { id: string; scopes: string[]; tokens: TokenSet | null };
}

/** The current installation of a tenant, decrypted, plus which rows its tokens came from. */
export interface InstallationRecord extends NewInstallation {
  tenantId: string;
  tenantStatus: 'active' | 'inactive' | 'suspended';
  tenantName: string;
  installedAt: Date;
  /** The row holding the bot token, and the row holding the user token (the same unless a user query). */
  rowIds: { bot: string; user: string };
}
