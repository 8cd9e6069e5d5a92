/** An address as the API shows it: `{name?, address}`; `address` is always a validated plain `local@domain`. */
export interface MailAddress {
  address: string;
  name?: string;
}
