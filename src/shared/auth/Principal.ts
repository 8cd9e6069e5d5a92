/** Who is calling: the operator with the admin key, or KOS with one tenant's key. */
export type Principal =
  | { kind: 'admin'; actor: string }
  | { kind: 'tenant'; tenantId: string; keyId: string; actor: string };
