/** The no-social-security-number referral: one profile, one body to go to. */

export interface Referral {
  key: string;
  value?: string | undefined;
}

export function refer(items: readonly Referral[], profile: string): Referral | undefined {
  return items.find((i) => i.key === profile);
}
