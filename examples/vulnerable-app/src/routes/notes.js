const express = require('express');
const store = require('../store');
const { escapeHtml } = require('../html');

const router = express.Router();

router.post('/', (req, res) => {
  const id = store.addNote(req.session.userId, req.body.title, req.body.body);
  res.redirect(`/notes/${id}`);
});

router.get('/:id', (req, res) => {
  const note = store.getNote(Number(req.params.id));
  if (!note) return res.sendStatus(404);
  // The title is escaped; the body is not (stored XSS: it was written from a request).
  res.send(`<h1>${escapeHtml(note.title)}</h1><article>${note.body}</article>`);
});

module.exports = router;
