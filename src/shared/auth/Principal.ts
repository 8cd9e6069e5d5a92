/** Who acted, as the audit log names them: `admin`, `admin:<key id>` or `key:<key id>`, with the key's name. */
export interface Actor {
  id: string;
  name?: string;
}

/** Who is calling: the operator with the admin key, or KOS with one tenant's key. */
export type Principal = { kind: 'admin'; keyId?: string; actor: Actor } | { kind: 'tenant'; tenantId: string; keyId: string; actor: Actor };
