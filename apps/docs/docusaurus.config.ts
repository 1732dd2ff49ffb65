import type * as Preset from '@docusaurus/preset-classic';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@docusaurus/types';
import { themes as prismThemes } from 'prism-react-renderer';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

// The site renders the top-level docs/ folder; the API pages are generated into docs/api by TypeDoc
// at build time (git-ignored). Nothing is fetched from another origin: KaTeX's CSS and fonts are
// bundled from the katex package (imported in src/css/custom.css).
const siteDir = fileURLToPath(new URL('.', import.meta.url));
// The workspace packages export only an `import` condition; webpack's server build resolves with
// `require` conditions, so point it at the built ES modules directly.
const dist = (pkg: string): string => join(siteDir, 'node_modules', pkg, 'dist', 'index.js');

const config: Config = {
  title: 'Nabla',
  tagline: 'Backpropagation you can read, and checkpointing you can measure.',
  url: 'http://localhost:3000',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: { format: 'detect', hooks: { onBrokenMarkdownLinks: 'throw' } },
  trailingSlash: false,
  i18n: { defaultLocale: 'en', locales: ['en'] },
  presets: [
    [
      'classic',
      {
        docs: {
          path: '../../docs',
          routeBasePath: 'docs',
          sidebarPath: './sidebars.ts',
          remarkPlugins: [remarkMath],
          rehypePlugins: [rehypeKatex],
        },
        blog: false,
        theme: { customCss: './src/css/custom.css' },
      } satisfies Preset.Options,
    ],
  ],
  plugins: [
    () => ({
      name: 'nabla-workspace-packages',
      configureWebpack: () => ({ resolve: { alias: { '@nabla/core$': dist('@nabla/core'), '@nabla/viz$': dist('@nabla/viz') } } }),
    }),
    [
      'docusaurus-plugin-typedoc',
      {
        entryPoints: ['../../packages/core/src/index.ts', '../../packages/viz/src/index.ts'],
        entryPointStrategy: 'resolve',
        tsconfig: './tsconfig.typedoc.json',
        out: '../../docs/api',
        excludeInternal: true,
        sanitizeComments: true,
        excludePrivate: true,
        readme: 'none',
        sidebar: { autoConfiguration: true, pretty: true },
        disableSources: true,
        hideGenerator: true,
      },
    ],
  ],
  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'Nabla',
      items: [
        { to: '/docs/guides/getting-started', label: 'Getting started', position: 'left' },
        { to: '/docs/notes/notation', label: 'Notes', position: 'left' },
        { to: '/docs/checkpointing', label: 'Checkpointing', position: 'left' },
        { to: '/benchmarks', label: 'Benchmarks', position: 'left' },
        { to: '/playground', label: 'Playground', position: 'left' },
        { to: '/docs/api', label: 'API', position: 'left' },
      ],
    },
    footer: {
      style: 'light',
      copyright: 'Nabla · MIT licence · built with Docusaurus; everything on this site is served from this origin.',
    },
    prism: { theme: prismThemes.github, darkTheme: prismThemes.dracula },
  } satisfies Preset.ThemeConfig,
};

export default config;
