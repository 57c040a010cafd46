import type { PlanDto, PlatformTenantDto } from '@contracts/platform.contract';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api/client';
import { Notice } from '../components/states';

const toQuota = (v: string) => (v.trim() === '' ? null : Number(v));

/** Changes a tenant's plan and quota overrides (empty: the plan's quota). */
export function PlanDialog({
  tenant,
  plans,
  onClose,
}: {
  tenant: PlatformTenantDto;
  plans: PlanDto[];
  onClose: (changed: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [planId, setPlanId] = useState(tenant.planId);
  const [tokens, setTokens] = useState(tenant.quotaOverridden ? String(tenant.monthlyTokenQuota) : '');
  const [questions, setQuestions] = useState(
    tenant.quotaOverridden ? String(tenant.monthlyQuestionQuota) : '',
  );
  const [error, setError] = useState<string>();
  const plan = plans.find((p) => p.id === planId);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.patch(`/api/platform/tenants/${tenant.id}`, {
        planId,
        monthlyTokenQuota: toQuota(tokens),
        monthlyQuestionQuota: toQuota(questions),
      });
      onClose(true);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? [err.message, ...(err.details ?? []).map((d) => d.message)].join(': ')
          : 'Saving failed.',
      );
    }
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="plan-title" onClose={() => onClose(false)}>
      <form onSubmit={save} className="form">
        <h2 id="plan-title">Plan and quotas: {tenant.name}</h2>
        <label className="label" htmlFor="plan">
          Plan
        </label>
        <select id="plan" value={planId} onChange={(e) => setPlanId(e.target.value)}>
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label className="label" htmlFor="q-tokens">
          Monthly token quota
        </label>
        <input
          id="q-tokens"
          type="number"
          min={0}
          value={tokens}
          placeholder={`Plan: ${plan?.monthlyTokenQuota ?? ''}`}
          onChange={(e) => setTokens(e.target.value)}
        />
        <label className="label" htmlFor="q-questions">
          Monthly question quota
        </label>
        <input
          id="q-questions"
          type="number"
          min={0}
          value={questions}
          placeholder={`Plan: ${plan?.monthlyQuestionQuota ?? ''}`}
          onChange={(e) => setQuestions(e.target.value)}
        />
        <p className="muted small">Leave a quota empty to use the plan's.</p>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary">
            Save
          </button>
        </div>
      </form>
    </dialog>
  );
}
