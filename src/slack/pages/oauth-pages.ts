import { html, page } from './html.js';

/** The "Add to Slack" landing page: what Lore does, what it asks for, and the button. */
export function renderInstallPage(opts: { authorizeUrl: string; scopes: readonly string[] }): string {
  return page(
    'Add Lore to Slack',
    html`<h1>Add Lore to your Slack workspace</h1>
<p>Lore answers your team's questions from your own documents, and every answer cites its sources.
Ask by mentioning <code>@Lore</code>, in a direct message, in threads, or with <code>/ask</code>.</p>
<p><a href="${opts.authorizeUrl}" class="add-to-slack"><img alt="Add to Slack" height="40" width="139"
 src="https://platform.slack-edge.com/img/add_to_slack.png"
 srcset="https://platform.slack-edge.com/img/add_to_slack.png 1x, https://platform.slack-edge.com/img/add_to_slack@2x.png 2x"></a></p>
<p class="muted">Slack will ask you to allow these permissions:</p>
<ul class="scopes">${opts.scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul>
<p class="muted">This link works once and for 10 minutes, in this browser. If it expires, reload this page.</p>`,
  );
}

/** Shown after a successful install: where the workspace is and the way to the dashboard. */
export function renderSuccessPage(opts: {
  workspaceName: string;
  isEnterpriseInstall: boolean;
  dashboardUrl: string;
  slackUrl?: string;
}): string {
  return page(
    'Lore is installed',
    html`<h1>Lore is installed</h1>
<p class="ok">Lore is now part of <strong>${opts.workspaceName}</strong>${opts.isEnterpriseInstall ? ' (every workspace in the org)' : ''}.</p>
<p>Invite it to a channel and mention <code>@Lore</code> with a question, or send it a direct message.
Add your team's documents in the dashboard so it can answer from them.</p>
<p><a class="button" href="${opts.dashboardUrl}">Open the Lore dashboard</a>${
      opts.slackUrl ? html`<a class="button secondary" href="${opts.slackUrl}">Open Slack</a>` : ''
    }</p>
<p class="muted">You will get a welcome message from Lore in Slack.</p>`,
  );
}

/** Shown when an install fails: what went wrong in plain words and a way to try again. */
export function renderFailurePage(opts: { reason: string; retryUrl: string; reference?: string }): string {
  return page(
    'The install did not finish',
    html`<h1>The install did not finish</h1>
<p class="error">${opts.reason}</p>
<p>Nothing was installed. <a class="button" href="${opts.retryUrl}">Try again</a></p>
${opts.reference ? html`<p class="muted">If this keeps happening, give the operator this reference: <code>${opts.reference}</code></p>` : ''}`,
  );
}

/** Shown at /slack/install while this deployment has no Slack app credentials yet. */
export function renderNotConfiguredPage(): string {
  return page(
    'Slack app not configured',
    html`<h1>The Slack app is not configured yet</h1>
<p>This Lore server has no Slack app credentials, so it cannot be installed into a workspace yet.</p>
<ol>
<li>At <a href="https://api.slack.com/apps">api.slack.com/apps</a> choose <em>Create New App → From an app manifest</em>
and paste <code>manifest.json</code> from the repository, with every <code>YOUR_DOMAIN</code> replaced by this server's public host.</li>
<li>Copy the client id, client secret and signing secret into <code>SLACK_CLIENT_ID</code>, <code>SLACK_CLIENT_SECRET</code>
and <code>SLACK_SIGNING_SECRET</code>; set <code>SLACK_STATE_SECRET</code> and <code>PUBLIC_URL</code>.</li>
<li>Restart Lore and open this page again.</li>
</ol>
<p class="muted">Step by step: the README's section "Install a real Slack app".</p>`,
  );
}
