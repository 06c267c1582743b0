// Stylesheets are imported for their side effect (see app/layout.tsx); Next's own declarations come
// from the generated next-env.d.ts, which may not exist before the first build.
declare module '*.css';
