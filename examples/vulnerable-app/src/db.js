// One SQLite database file for the app (better-sqlite3 is synchronous, which keeps the example short).
const path = require('path');
const Database = require('better-sqlite3');

const db = new Database(process.env.DB_FILE || path.join(__dirname, '..', 'app.db'));
db.exec(`
  CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'user');
  CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL);
`);
if (db.prepare('SELECT COUNT(*) AS n FROM users').get().n === 0) {
  const add = db.prepare('INSERT INTO users (name, email, role) VALUES (?, ?, ?)');
  add.run('alice', 'alice@example.test', 'admin');
  add.run('bob', 'bob@example.test', 'user');
}

module.exports = db;
