'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The app's sections; add a page by adding its route here (see web/README.md). */
export const sections = [
  { href: '/chat', label: 'Chat' },
  { href: '/workflows', label: 'Workflows' },
  { href: '/builder', label: 'Builder' },
  { href: '/inspector', label: 'Inspector' },
  { href: '/analytics', label: 'Analytics' },
] as const;

export function MainNav() {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      <ul className="nav__list">
        {sections.map(({ href, label }) => {
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link href={href} className="nav__link" aria-current={current ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
