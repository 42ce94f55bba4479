import { describe, expect, it } from 'vitest';
import { sqlTable } from './helpers.js';

describe('sqlTable', () => {
  it('names the columns a write sets when the SQL lists them all as plain names', () => {
    expect(sqlTable('INSERT INTO Pets (name, `Kind`) VALUES (?, ?)')).toEqual({ table: 'pets', write: true, read: false, columns: ['name', 'kind'] });
    expect(sqlTable('UPDATE app.pets SET name = $1, "kind" = $2 WHERE id = $3')).toEqual({ table: 'pets', write: true, read: false, columns: ['name', 'kind'] });
    expect(sqlTable('SELECT * FROM pets WHERE id = ?')).toEqual({ table: 'pets', write: false, read: true });
  });

  it('leaves the columns unknown when any of them is not a plain name', () => {
    expect(sqlTable('INSERT INTO pets VALUES (NULL, ?, ?)')).toEqual({ table: 'pets', write: true, read: false });
    expect(sqlTable('UPDATE pets SET name = coalesce(?, name), kind = ? WHERE id = ?')).toEqual({ table: 'pets', write: true, read: false });
    expect(sqlTable("UPDATE pets SET name = 'a,b' WHERE id = ?")).toEqual({ table: 'pets', write: true, read: false });
  });
});
