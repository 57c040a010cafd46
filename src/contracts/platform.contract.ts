import { z } from 'zod';

/** The operator view (`/api/platform`): every tenant, platform totals, plan and quota changes. */
export const platformTenantsQuery = z.object({
  search: z.string().trim().max(200).optional(),
  status: z.enum(['active', 'inactive', 'suspended']).optional(),
  sort: z.enum(['name', 'created', 'activity', 'questions']).default('activity'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const tenantIdParams = z.object({ id: z.uuid() });

export const updateTenantBody = z
  .object({
    planId: z.string().min(1).max(50),
    /** null: back to the plan's quota. */
    monthlyTokenQuota: z.number().int().min(0).max(10_000_000_000).nullable(),
    monthlyQuestionQuota: z.number().int().min(0).max(10_000_000).nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send a plan or a quota to change');

export interface PlatformTenantDto {
  id: string;
  name: string;
  slackId: string | null;
  isEnterpriseInstall: boolean;
  isDemo: boolean;
  status: 'active' | 'inactive' | 'suspended';
  planId: string;
  monthlyTokenQuota: number;
  monthlyQuestionQuota: number;
  quotaOverridden: boolean;
  documents: number;
  questionsThisMonth: number;
  tokensThisMonth: number;
  costThisMonthUsd: number;
  createdAt: string;
  lastActivityAt: string | null;
}

export interface PlanDto {
  id: string;
  name: string;
  monthlyTokenQuota: number;
  monthlyQuestionQuota: number;
}

export interface PlatformSummaryDto {
  tenants: { total: number; active: number; suspended: number; inactive: number };
  documents: number;
  chunks: number;
  month: { questions: number; tokens: number; costUsd: number };
  /** Tenants that asked at least one question that day, last 30 days. */
  activeTenantsByDay: Array<{ day: string; tenants: number }>;
  plans: PlanDto[];
}
