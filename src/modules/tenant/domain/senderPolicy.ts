/** Whether the sender policy lets `address` appear as sender; patterns match case-insensitively. */
export function senderAllowed(allowedSenders: readonly string[], address: string): boolean {
  if (allowedSenders.length === 0) return true;
  const candidate = address.toLowerCase();
  const domain = candidate.slice(candidate.lastIndexOf('@') + 1);
  return allowedSenders.some((pattern) => {
    const normalized = pattern.toLowerCase();
    return normalized.startsWith('*@') ? normalized.slice(2) === domain : normalized === candidate;
  });
}

/** True for `local@domain` and `*@domain` patterns. */
export function isSenderPattern(pattern: string, isAddress: (value: string) => boolean): boolean {
  return pattern.startsWith('*@') ? isAddress(`x${pattern.slice(1)}`) : isAddress(pattern);
}
