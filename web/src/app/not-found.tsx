import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        There is no page here. <Link href="/chat">Go to the chat</Link>.
      </p>
    </section>
  );
}
