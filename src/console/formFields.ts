import { field, type Field } from './dom.js';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Makes the labelled field of an API path; the form keeps it by that path to place the API's errors there. */
export type AddField = <E extends Control>(path: string, label: string, control: E, hint?: string) => Field<E>;

export function fieldRegistry(): { fields: Map<string, Field<Control>>; add: AddField } {
  const fields = new Map<string, Field<Control>>();
  const add: AddField = (path, label, control, hint) => {
    const made = field(label, control, { path, ...(hint ? { hint } : {}) });
    fields.set(path, made);
    return made;
  };
  return { fields, add };
}

export const textOf = (control: Control): string | undefined => control.value.trim() || undefined;
export const numberOf = (control: HTMLInputElement): number | undefined => (control.value.trim() === '' ? undefined : Number(control.value));
