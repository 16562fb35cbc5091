/** A small status pill; `tone` is a class from globals.css (healthy, failing, delivered, dead...). */
export function Badge({ tone, children }: { tone: string; children: React.ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}
