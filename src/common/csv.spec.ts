import { csvCell, csvLine } from './csv.js';

describe('csvCell: tenant text never becomes a spreadsheet formula', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['=hyperlink(1)', `'=hyperlink(1)`],
    ['+cmd|calc', `'+cmd|calc`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['\rx', `"'\rx"`],
  ])('%j is written as text: %s', (v, out) => expect(csvCell(v)).toBe(out));

  it.each([
    [12.5, '12.5'],
    ['-3.25', '-3.25'],
    ['0.00472', '0.00472'],
    ['gpt-4o', 'gpt-4o'],
    ['a,b', '"a,b"'],
    [null, ''],
  ])('%j stays as it is: %s', (v, out) => expect(csvCell(v)).toBe(out));

  it('csvLine writes the header from the column names and a row in column order', () => {
    expect(csvLine(['model', 'costUsd'], null) + csvLine(['model', 'costUsd'], { costUsd: '2.5', model: '=1+1' })).toBe("model,costUsd\n'=1+1,2.5\n");
  });
});
