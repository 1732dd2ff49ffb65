import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import type { ReactNode } from 'react';
import SpiralsDemo from '../components/SpiralsDemo';

const sections: { to: string; title: string; text: string }[] = [
  { to: '/docs/guides/getting-started', title: 'Getting started', text: 'Install, build a first network, train, save and load it.' },
  { to: '/docs/notes/notation', title: 'Matrix-calculus notes', text: 'Every line of the forward and backward pass, derived and tied to the code.' },
  { to: '/docs/checkpointing', title: 'Gradient checkpointing', text: 'Trade compute for memory: play the schedules, read the measured table.' },
  { to: '/benchmarks', title: 'Benchmarks', text: 'Speed against TensorFlow.js and brain.js, and memory against depth, as measured.' },
  { to: '/docs/api', title: 'API reference', text: 'Generated from the TSDoc comments of @nabla/core and @nabla/viz.' },
  { to: '/docs/guides/training', title: 'Guides', text: 'Training options, callbacks, data loading, early stopping.' },
];

export default function Home(): ReactNode {
  return (
    <Layout title="Nabla" description="A TypeScript neural-network engine whose backpropagation is derived by hand and whose memory is measured.">
      <main className="container margin-vert--lg">
        <h1 className="nabla-pitch">
          Nabla is a TypeScript multilayer-perceptron engine whose backpropagation you can read line by line and whose memory you can measure.
        </h1>
        <p>Below, a small network learns the two spirals in your browser, right now.</p>
        <SpiralsDemo />
        <h2>Where to go next</h2>
        <div className="nabla-sections">
          {sections.map((s) => (
            <Link key={s.to} to={s.to} className="nabla-section-card">
              <strong>{s.title}</strong>
              <span>{s.text}</span>
            </Link>
          ))}
        </div>
      </main>
    </Layout>
  );
}
