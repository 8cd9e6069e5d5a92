import type { FieldError } from './types.js';

export interface AssignedErrors {
  /** Messages per form field path. */
  byField: Map<string, string[]>;
  /** Errors no field of the form stands for; shown above the form. */
  unmatched: FieldError[];
}

/**
 * Puts each problem error next to the field it names: the field with that exact path, else the
 * nearest enclosing one (`mail.allowedSenders.2` → `mail.allowedSenders`), else the form.
 */
export function assignFieldErrors(errors: readonly FieldError[], fieldPaths: readonly string[]): AssignedErrors {
  const known = new Set(fieldPaths);
  const byField = new Map<string, string[]>();
  const unmatched: FieldError[] = [];
  for (const error of errors) {
    const field = enclosingField(error.path, known);
    if (field === undefined) unmatched.push(error);
    else byField.set(field, [...(byField.get(field) ?? []), error.message]);
  }
  return { byField, unmatched };
}

function enclosingField(path: string, known: ReadonlySet<string>): string | undefined {
  const parts = path.replace(/^body\./, '').split('.');
  for (let length = parts.length; length > 0; length--) {
    const candidate = parts.slice(0, length).join('.');
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}
