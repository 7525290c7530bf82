import { formatTable, shorten } from './format-table.js';

describe('CLI tables', () => {
  it('aligns columns, numbers to the right, with no trailing spaces', () => {
    expect(
      formatTable(
        ['HANDLER', 'LAG', 'NOTE'],
        [
          ['CatalogProjector', '3', ''],
          ['A', '120', 'slow'],
        ],
        ['left', 'right'],
      ),
    ).toBe(
      'HANDLER           LAG  NOTE\n' + 'CatalogProjector    3\n' + 'A                 120  slow\n',
    );
  });

  it('shortens long text with an ellipsis', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abc', 4)).toBe('abc');
  });
});
