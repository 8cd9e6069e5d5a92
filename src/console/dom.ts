// The console builds every element with these helpers. Data from KOS or tenants only ever becomes
// a text node or an attribute value; nothing here parses HTML.

export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let uniqueId = 0;
export function nextId(prefix: string): string {
  uniqueId += 1;
  return `${prefix}-${uniqueId}`;
}

/** A labelled form field with a hint and a slot for the API's error messages. */
export interface Field<E extends HTMLElement> {
  wrapper: HTMLDivElement;
  control: E;
  setErrors(messages: readonly string[]): void;
}

export function field<E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  label: string,
  control: E,
  options: { hint?: string; path?: string } = {},
): Field<E> {
  const id = control.id || nextId('field');
  control.id = id;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const errorSlot = h('p', { class: 'field-error', id: errorId, hidden: true });
  const hint = options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null;
  control.setAttribute('aria-describedby', [hint ? hintId : '', errorId].filter(Boolean).join(' '));
  const wrapper = h('div', { class: 'field', 'data-path': options.path }, h('label', { for: id }, label), control, hint, errorSlot);
  return {
    wrapper,
    control,
    setErrors(messages) {
      show(errorSlot, messages.join(' '));
      errorSlot.hidden = messages.length === 0;
      if (messages.length > 0) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

export function options(
  select: HTMLSelectElement,
  items: ReadonlyArray<{ value: string; label: string; disabled?: boolean }>,
  selected?: string,
): HTMLSelectElement {
  for (const item of items) {
    const option = h('option', { value: item.value, disabled: item.disabled }, item.label);
    if (item.value === selected) option.selected = true;
    select.appendChild(option);
  }
  return select;
}

/** A status line that screen readers announce. */
export function liveRegion(className = 'status'): HTMLParagraphElement {
  return h('p', { class: className, role: 'status', 'aria-live': 'polite' });
}
