// Test-only: one literal example copied from a vendor manual, by the manual lines it spans and the
// heading it sits under, with the vendor's own classification of what it shows.
export interface SectionedManualExample<Kind extends string> {
  lines: [number, number];
  section: string;
  kind: Kind;
  text: string;
}
