import BrowserOnly from '@docusaurus/BrowserOnly';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import type { ReactNode } from 'react';
import Playground from '../components/playground/Playground';

export default function PlaygroundPage(): ReactNode {
  return (
    <Layout title="Playground" description="Train a neural network in your browser: TensorFlow Playground's controls and more classes, your own CSV data, optimisers, dropout, model export and live checkpointing.">
      <main className="container container--fluid margin-vert--md">
        <h1>Playground</h1>
        <p>
          A small network learns a two-dimensional data set while you watch, in a Web Worker so the page never waits for it. Everything TensorFlow Playground does is here (its data sets,
          input features, layers and units, activation, learning rate, batch size, regularisation, the decision boundary and the loss curves), and what its users have asked for: more than two
          classes with softmax and cross-entropy, your own CSV file, optimisers and learning-rate schedules, dropout and an activation per layer, accuracy, a confusion matrix, R² and RMSE,
          stop conditions, model export and import, and the memory that gradient checkpointing saves, measured live. The address bar always holds the whole configuration: copy it to share a
          run; add <code>hide=dataset,features</code> to hide controls. The <Link to="/docs/guides/playground">playground guide</Link> lists every feature.
        </p>
        <BrowserOnly fallback={<p>The playground needs JavaScript: it trains the network in your browser.</p>}>{() => <Playground syncUrl />}</BrowserOnly>
      </main>
    </Layout>
  );
}
