/** Slack's error string for a failed Web API call (`not_in_channel`, `unknown_method`, ...), if it has one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

// What Slack answers when a workspace, plan, channel or token cannot use the streaming methods: the reply
// then falls back to posting one message and editing it.
const STREAMING_UNAVAILABLE = new Set([
  'unknown_method',
  'not_allowed',
  'not_allowed_token_type',
  'method_not_supported_for_channel_type',
  'feature_not_enabled',
  'missing_scope',
  'team_not_allowed',
  'invalid_arguments',
]);

/** True when a chat.startStream failure means "streaming is not available here", not a real error. */
export function isStreamingUnavailable(err: unknown): boolean {
  const code = slackErrorCode(err);
  if (code) return STREAMING_UNAVAILABLE.has(code);
  // A stand-in or proxy that does not know the method at all answers 404.
  return (err as { statusCode?: number } | undefined)?.statusCode === 404;
}

/** A short, log-safe description of a Slack failure (never the request, which carries the token). */
export function describeSlackError(err: unknown): { code?: string; message: string } {
  return { code: slackErrorCode(err), message: err instanceof Error ? err.message : String(err) };
}
