/** `GET /api/plans`: what each plan allows, side by side, and where this workspace stands. */
export interface PlanDetailsDto {
  id: string;
  name: string;
  monthlyTokenQuota: number;
  monthlyQuestionQuota: number;
  tenantRatePerMinute: number;
  userRatePerMinute: number;
  maxFileBytes: number;
  maxDocuments: number;
  maxChunks: number;
}

export interface PlansDto {
  currentPlanId: string;
  /** This workspace's own monthly quotas (an operator may have set them apart from its plan's). */
  current: { monthlyTokenQuota: number; monthlyQuestionQuota: number };
  /** When this month's quotas reset (ISO, the first instant of next month, UTC). */
  resetsAt: string;
  plans: PlanDetailsDto[];
}
