/** An AWS SDK error that says the caller is not allowed (IAM's and the other services' spellings). */
export const isAccessDenied = (err: unknown): boolean =>
  ['AccessDenied', 'AccessDeniedException'].includes((err as { name?: string })?.name ?? '');
