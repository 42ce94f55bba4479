const express = require('express');
const session = require('express-session');
const users = require('./routes/users');
const notes = require('./routes/notes');
const files = require('./routes/files');

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(express.json());
// VULNERABLE: anyone with the code can forge session cookies.
app.use(session({ secret: 'keyboard-cat-2024', resave: false, saveUninitialized: true }));

app.use('/users', users);
app.use('/notes', notes);
app.use('/files', files);

const SAFE_NEXT = ['/', '/notes', '/users/hello'];

app.get('/login/done', (req, res) => {
  // VULNERABLE: redirects anywhere, e.g. ?next=https://evil.example/login
  res.redirect(req.query.next);
});

app.get('/logout', (req, res) => {
  // Fixed: only known pages.
  res.redirect(SAFE_NEXT.includes(req.query.next) ? req.query.next : '/');
});

app.listen(Number(process.env.PORT) || 3000, '127.0.0.1');
