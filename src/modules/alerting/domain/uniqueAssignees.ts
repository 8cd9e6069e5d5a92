import type { Assignee } from './Deadline';

/** The assignees with each address once, compared case-insensitively; the first mention wins. */
export function uniqueAssignees(assignees: Assignee[]): Assignee[] {
  const seen = new Set<string>();
  return assignees.filter((assignee) => {
    const key = assignee.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
