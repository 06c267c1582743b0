/** A page that is planned but not built yet: what it will do, so the nav is honest. */
export function ComingSoon({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="page page--coming" aria-labelledby="coming-title">
      <h1 id="coming-title">{title}</h1>
      <p className="coming__tag">coming</p>
      <div className="coming__body">{children}</div>
    </section>
  );
}
