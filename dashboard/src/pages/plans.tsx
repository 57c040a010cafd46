import type { PlanDetailsDto, PlansDto } from '@contracts/plans.contract';
import { api } from '../api/client';
import { Async } from '../components/states';
import { Card, PageHeader } from '../components/widgets';
import { fmtBytes, fmtDate } from '../lib/format';
import { useApi } from '../lib/use-api';

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** The rows of the comparison: what each plan allows. */
const ROWS: Array<[string, (p: PlanDetailsDto) => string]> = [
  ['Questions a month (platform AI)', (p) => n(p.monthlyQuestionQuota)],
  ['AI tokens a month (platform AI)', (p) => n(p.monthlyTokenQuota)],
  ['Questions a minute, whole workspace', (p) => n(p.tenantRatePerMinute)],
  ['Questions a minute, per person', (p) => n(p.userRatePerMinute)],
  ['Largest file', (p) => fmtBytes(p.maxFileBytes)],
  ['Documents', (p) => n(p.maxDocuments)],
  ['Passages (searchable chunks)', (p) => n(p.maxChunks)],
];

/**
 * What each plan allows, side by side (every limit warning links here), with this workspace's plan marked
 * and its own quotas when an operator set them apart from the plan's.
 */
export function PlansPage() {
  const plans = useApi('plans', () => api.get<PlansDto>('/api/plans'));
  return (
    <>
      <PageHeader
        title="Plans"
        subtitle="What each plan allows. Monthly quotas count answers on the platform's AI; with the workspace's own OpenAI key there is no monthly cap."
      />
      <Async state={plans} label="Loading plans…">
        {(d) => (
          <Card title="Compare plans">
            <p className="muted small">
              This workspace is on the <strong>{d.plans.find((p) => p.id === d.currentPlanId)?.name}</strong>{' '}
              plan: {n(d.current.monthlyQuestionQuota)} questions and {n(d.current.monthlyTokenQuota)} tokens
              a month. This month's allowance resets {fmtDate(d.resetsAt)}. To change plans, contact the
              people who run this Lore deployment.
            </p>
            <table className="table plans-table">
              <thead>
                <tr>
                  <th scope="col">Limit</th>
                  {d.plans.map((p) => (
                    <th
                      key={p.id}
                      scope="col"
                      aria-current={p.id === d.currentPlanId ? 'true' : undefined}
                      className={p.id === d.currentPlanId ? 'current-plan' : undefined}
                    >
                      {p.name}
                      {p.id === d.currentPlanId ? ' (yours)' : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROWS.map(([label, value]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    {d.plans.map((p) => (
                      <td key={p.id} className={p.id === d.currentPlanId ? 'current-plan' : undefined}>
                        {value(p)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </Async>
    </>
  );
}
