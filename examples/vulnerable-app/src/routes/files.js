const path = require('path');
const { exec, execFile } = require('child_process');
const express = require('express');

const router = express.Router();
const UPLOADS = path.join(__dirname, '..', '..', 'uploads');

router.get('/download', (req, res) => {
  // VULNERABLE: ../../ climbs out of the uploads folder.
  res.sendFile(path.join(UPLOADS, req.query.file));
});

router.get('/view', (req, res) => {
  // Fixed: send refuses paths outside `root`.
  res.sendFile(req.query.file, { root: UPLOADS });
});

router.get('/lines', (req, res) => {
  // VULNERABLE: the file name is part of a shell command line.
  exec(`wc -l ${UPLOADS}/${req.query.file}`, (err, stdout) => res.type('text/plain').send(err ? 'error' : stdout));
});

router.get('/size', (req, res) => {
  // Fixed: no shell, the name is one argument.
  execFile('du', ['-b', path.join(UPLOADS, path.basename(String(req.query.file)))], (err, stdout) => res.type('text/plain').send(err ? 'error' : stdout));
});

module.exports = router;
