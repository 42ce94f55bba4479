const db = require('./db');

/** VULNERABLE: the name is pasted into the SQL text. */
function findUsersByName(name) {
  return db.prepare("SELECT id, name, email FROM users WHERE name LIKE '%" + name + "%'").all();
}

/** Fixed: the value travels as a parameter. */
function findUserByEmail(email) {
  return db.prepare('SELECT id, name, email FROM users WHERE email = ?').get(email);
}

function addNote(owner, title, body) {
  return db.prepare('INSERT INTO notes (owner, title, body) VALUES (?, ?, ?)').run(owner, title, body).lastInsertRowid;
}

function getNote(id) {
  return db.prepare('SELECT id, title, body FROM notes WHERE id = ?').get(id);
}

module.exports = { findUsersByName, findUserByEmail, addNote, getNote };
