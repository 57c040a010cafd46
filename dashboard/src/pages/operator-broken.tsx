import type { BrokenInstallationsDto } from '@contracts/notices.contract';
import { api } from '../api/client';
import { Card } from '../components/widgets';
import { fmtAgo } from '../lib/format';
import { useApi } from '../lib/use-api';

/**
 * Workspaces whose Slack token Slack refused: Lore cannot answer there until an admin reinstalls (their
 * dashboard shows the reinstall banner). Shown only when there are any.
 */
export function BrokenInstallations() {
  const { data } = useApi('platform-broken', () =>
    api.get<BrokenInstallationsDto>('/api/platform/broken-installations'),
  );
  if (!data || data.count === 0) return null;
  return (
    <Card title={`Broken installations: ${data.count}`} className="card-alert">
      <p className="muted small">
        Slack refused these workspaces' tokens. Their jobs stop; a reinstall by a workspace admin fixes it.
      </p>
      <ul className="broken-list">
        {data.items.map((b) => (
          <li key={b.tenantId}>
            <strong>{b.tenantName}</strong> — <code>{b.errorCode}</code> on <code>{b.method}</code>,{' '}
            {fmtAgo(b.brokenAt)}
          </li>
        ))}
      </ul>
    </Card>
  );
}
