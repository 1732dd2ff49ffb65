import { describe, expect, it } from 'vitest';
import { ParseError, csvColumns, csvDataset, parseCsv } from '../src/index.js';

describe('parseCsv', () => {
  it('parseCsv(text) splits a header and rows, with line numbers', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(t.lines).toEqual([2, 3]);
    expect(t.headerLine).toBe(1);
  });

  it('parseCsv(text) handles CRLF, no trailing newline, blank lines and a byte-order mark', () => {
    const t = parseCsv('\ufeffx, y\r\n\r\n 1 , 2\r\n\r\n3,4');
    expect(t.header).toEqual(['x', 'y']);
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(t.lines).toEqual([3, 5]);
  });

  it('parseCsv(text) reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    const t = parseCsv('name,"note, long"\n"a ""b""","line1\nline2"\nc,d\n');
    expect(t.header).toEqual(['name', 'note, long']);
    expect(t.rows).toEqual([
      ['a "b"', 'line1\nline2'],
      ['c', 'd'],
    ]);
    expect(t.lines).toEqual([2, 4]);
  });

  it('parseCsv(text, { delimiter }) reads other separators', () => {
    expect(parseCsv('a;b\n1;2', { delimiter: ';' }).rows).toEqual([['1', '2']]);
  });

  it('parseCsv rejects an empty file', () => {
    expect(() => parseCsv('', { name: 'data.csv' })).toThrow(ParseError);
    expect(() => parseCsv('', { name: 'data.csv' })).toThrow(/parseCsv\(data\.csv\): the file is empty/);
    expect(() => parseCsv('\n\r\n  \n')).toThrow(/the file is empty/);
  });

  it('parseCsv rejects a header without data rows', () => {
    expect(() => parseCsv('a,b\n')).toThrow(/line 1: a header but no data rows/);
  });

  it('parseCsv rejects ragged rows, naming the line', () => {
    expect(() => parseCsv('a,b,c\n1,2,3\n\n4,5\n', { name: 'r.csv' })).toThrow(/parseCsv\(r\.csv\): line 4: ragged row, 2 cells where the header has 3 columns/);
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(/line 2: ragged row, 3 cells/);
  });

  it('parseCsv rejects an unterminated quote and text after a closing quote', () => {
    expect(() => parseCsv('a,b\n1,"2\n3,4\n')).toThrow(/line 2: unterminated quoted field/);
    expect(() => parseCsv('a,b\n1,"2"x\n')).toThrow(/line 2: unexpected "x" after a closing quote/);
  });

  it('parseCsv rejects empty and duplicate column names', () => {
    expect(() => parseCsv('a,,c\n1,2,3')).toThrow(/column 2 of the header has no name/);
    expect(() => parseCsv('a,b,a\n1,2,3')).toThrow(/column name "a" appears twice \(columns 1 and 3\)/);
  });
});

describe('csvColumns', () => {
  it('csvColumns(table, names) returns the named columns as numbers, in the order asked', () => {
    const t = parseCsv('a,b,c\n1,2e3,-3.5\n0.5,6,7\n');
    expect(csvColumns(t, ['c', 'a'])).toEqual([
      [-3.5, 1],
      [7, 0.5],
    ]);
  });

  it('csvColumns rejects a non-numeric cell, naming line, column and value', () => {
    const t = parseCsv('a,b\n1,2\n3,abc\n');
    expect(() => csvColumns(t, ['a', 'b'], { name: 'f.csv' })).toThrow(/csvColumns\(f\.csv\): line 3, column "b": "abc" is not a number/);
    expect(() => csvColumns(parseCsv('a\n1\n\n""\n'), ['a'])).toThrow(/line 4, column "a": "" is not a number/);
    expect(() => csvColumns(parseCsv('a\nNaN\n'), ['a'])).toThrow(/"NaN" is not a number/);
  });

  it('csvColumns rejects a missing column and lists the header', () => {
    const t = parseCsv('a,b\n1,2\n');
    expect(() => csvColumns(t, ['z'], { name: 'f.csv' })).toThrow(/csv\(f\.csv\): no column named "z"; the header has "a", "b"/);
  });
});

describe('csvDataset', () => {
  it('csvDataset(text, { target }) maps string labels to sorted class indices and one-hot rows', () => {
    const d = csvDataset('x1,species,x2\n1,setosa,2\n3,virginica,4\n5,setosa,6\n7,versicolor,8\n', { target: 'species' });
    expect(d.task).toBe('classification');
    expect(d.featureNames).toEqual(['x1', 'x2']);
    expect(d.targetNames).toEqual(['species']);
    expect(d.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.labels).toEqual([0, 2, 0, 1]);
    expect(d.x).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    expect(d.y[1]).toEqual([0, 0, 1]);
  });

  it('csvDataset sorts numeric labels numerically and treats 1.0 and 1 as one class', () => {
    const d = csvDataset('x,label\n0,10\n1,2\n2,1.0\n3,1\n', { target: 'label' });
    expect(d.task).toBe('classification');
    expect(d.classes).toEqual(['1', '2', '10']);
    expect(d.labels).toEqual([2, 1, 0, 0]);
  });

  it('csvDataset reads real-valued targets as regression, several at once', () => {
    const d = csvDataset('a,b,y1,y2\n1,2,0.5,1.5\n3,4,2.25,-1\n', { target: ['y1', 'y2'] });
    expect(d.task).toBe('regression');
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.y).toEqual([
      [0.5, 1.5],
      [2.25, -1],
    ]);
    expect(d.classes).toBeUndefined();
  });

  it('csvDataset({ task, features, classes }) follows what it is told', () => {
    const text = 'a,b,c,y\n1,2,3,1\n4,5,6,0\n';
    expect(csvDataset(text, { target: 'y', task: 'regression' }).y).toEqual([[1], [0]]);
    const d = csvDataset(text, { target: 'y', features: ['c', 'a'], classes: ['1', '0'] });
    expect(d.x).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(d.labels).toEqual([0, 1]);
  });

  it('csvDataset rejects a missing target column', () => {
    expect(() => csvDataset('a,b\n1,2\n', { target: 'label', name: 'f.csv' })).toThrow(ParseError);
    expect(() => csvDataset('a,b\n1,2\n', { target: 'label', name: 'f.csv' })).toThrow(/no column named "label"; the header has "a", "b"/);
  });

  it('csvDataset rejects a non-numeric feature, a label outside the given classes, and two classification targets', () => {
    expect(() => csvDataset('a,y\nx,1\n', { target: 'y' })).toThrow(/line 2, column "a": "x" is not a number/);
    expect(() => csvDataset('a,y\n1,cat\n', { target: 'y', classes: ['dog'] })).toThrow(/line 2, column "y": label "cat" is not one of the classes "dog"/);
    expect(() => csvDataset('a,y,z\n1,p,q\n', { target: ['y', 'z'] })).toThrow(/classification takes one target column, got 2/);
    expect(() => csvDataset('a,y\n1,2\n', { target: ['y', 'a'], task: 'regression' })).toThrow(/no feature columns left/);
  });

  it('csvDataset rejects an empty file and ragged rows', () => {
    expect(() => csvDataset('', { target: 'y', name: 'e.csv' })).toThrow(/parseCsv\(e\.csv\): the file is empty/);
    expect(() => csvDataset('a,y\n1,2\n3\n', { target: 'y' })).toThrow(/line 3: ragged row/);
  });
});
