const express = require('express');
const store = require('../store');
const { escapeHtml } = require('../html');

const router = express.Router();

router.get('/search', (req, res) => {
  const users = store.findUsersByName(req.query.name);
  res.json(users);
});

router.get('/by-email', (req, res) => {
  const user = store.findUserByEmail(req.query.email);
  if (!user) return res.status(404).send(`<p>No user with e-mail ${escapeHtml(req.query.email)}</p>`);
  res.json(user);
});

router.get('/hello', (req, res) => {
  // VULNERABLE: reflected into HTML unescaped.
  res.send(`<h1>Hello ${req.query.name}</h1>`);
});

module.exports = router;
