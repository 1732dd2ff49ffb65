// The playground's data column: data set, noise, ratio, samples, batch size and a CSV file.
import { memo, type ReactNode } from 'react';
import {
  type CsvChoice,
  classificationSets,
  type DatasetName,
  datasetLabels,
  regressionSets,
} from '../../workers/playground-protocol';
import type { CsvFile } from './Playground';
import { Ctl, type Common, Select } from './controls';

export const DataColumn = memo(function DataColumn(
  props: Common & {
    dataInfo: { description: string; classes: number } | null;
    csvFile: CsvFile | null;
    csvChoice: CsvChoice | null;
    setCsvChoice: (c: CsvChoice) => void;
    onCsvFile: (f: File) => void;
  },
): ReactNode {
  const { config, update, shown, styles } = props;
  const sets = (config.problem === 'regression' ? regressionSets : classificationSets) as readonly DatasetName[];
  const options: DatasetName[] = props.csvFile ? [...sets, 'csv'] : [...sets];
  return (
    <div className={styles.column}>
      <h3>Data</h3>
      <Ctl name="dataset" label="Which data set?" shown={shown} styles={styles}>
        <Select<DatasetName>
          testid="pg-dataset"
          value={config.dataset}
          options={options.includes(config.dataset) ? options : [...options, config.dataset]}
          label={(d) => datasetLabels[d]}
          onChange={(v) =>
            // Images need a wider network and Adam to learn in seconds; the 2-D sets keep what the reader chose.
            update(v === 'mnist' && config.dataset !== 'mnist' ? { dataset: v, hidden: [32], activations: ['relu'], dropout: [0], optimizer: 'adam', learningRate: 0.003, batchSize: 20 } : { dataset: v })
          }
        />
      </Ctl>
      {config.dataset === 'blobs' && (
        <Ctl name="dataset" label={`Classes: ${config.classes}`} shown={shown} styles={styles}>
          <input data-testid="pg-classes" type="range" min={2} max={8} step={1} value={config.classes} onChange={(e) => update({ classes: Number(e.target.value) })} />
        </Ctl>
      )}
      <Ctl name="ratio" label={`Ratio of training to test data: ${config.trainRatio}%`} shown={shown} styles={styles}>
        <input data-testid="pg-ratio" type="range" min={10} max={90} step={10} value={config.trainRatio} onChange={(e) => update({ trainRatio: Number(e.target.value) })} />
      </Ctl>
      {config.dataset !== 'csv' && config.dataset !== 'mnist' && (
        <>
          <Ctl name="noise" label={`Noise: ${config.noise}`} shown={shown} styles={styles}>
            <input data-testid="pg-noise" type="range" min={0} max={50} step={5} value={config.noise} onChange={(e) => update({ noise: Number(e.target.value) })} />
          </Ctl>
          <Ctl name="samples" label={`Samples: ${config.samples}`} shown={shown} styles={styles}>
            <input data-testid="pg-samples" type="range" min={100} max={2000} step={100} value={config.samples} onChange={(e) => update({ samples: Number(e.target.value) })} />
          </Ctl>
        </>
      )}
      <Ctl name="batchSize" label={`Batch size: ${config.batchSize}`} shown={shown} styles={styles}>
        <input data-testid="pg-batchSize" type="range" min={1} max={100} step={1} value={config.batchSize} onChange={(e) => update({ batchSize: Number(e.target.value) })} />
      </Ctl>
      {shown('regenerate') && (
        <div className={styles.ctl} data-control="regenerate">
          <button type="button" className="button button--sm button--secondary" data-testid="pg-regenerate" onClick={() => update({ dataSeed: config.dataSeed + 1 })}>
            Regenerate
          </button>
        </div>
      )}
      <Ctl name="csv" label="Your data: a CSV file with a header row" shown={shown} styles={styles}>
        <input
          data-testid="pg-csv"
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) props.onCsvFile(f);
            e.target.value = '';
          }}
        />
      </Ctl>
      {props.csvFile && props.csvChoice && config.dataset === 'csv' && shown('csv') && (
        <div data-control="csv">
          {(['x1', 'x2', 'target'] as const).map((slot) => (
            // biome-ignore lint/a11y/noLabelWithoutControl: the control is the Select inside.
            <label key={slot} className={styles.ctl}>
              <span>{slot === 'target' ? (config.problem === 'regression' ? 'Target column' : 'Label column') : `Feature ${slot === 'x1' ? 'x₁' : 'x₂'} column`}</span>
              <Select testid={`pg-csv-${slot}`} value={props.csvChoice![slot]} options={props.csvFile!.header} onChange={(v) => props.setCsvChoice({ ...props.csvChoice!, [slot]: v })} />
            </label>
          ))}
        </div>
      )}
      <p className={styles.small} data-testid="pg-data-desc">
        {props.dataInfo ? props.dataInfo.description : 'The data set is generated in the browser when the page has loaded.'}
      </p>
    </div>
  );
});
