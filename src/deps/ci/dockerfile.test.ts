import { describe, expect, it } from 'vitest';
import { dockerfileImages } from './dockerfile.js';

describe('dockerfileImages', () => {
  it('continuations, flags, ARG defaults and ${VAR:-default}, stage references, scratch, unresolved ARGs', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=debian',
      'ARG TAG',
      'FROM --platform=$BUILDPLATFORM \\',
      '    golang:${GO:-1.22}-alpine AS build',
      'FROM ${BASE}:bookworm-slim',
      'FROM build AS test',
      'FROM scratch',
      'FROM node:${TAG}',
      'from python:3.12 as py',
    ].join('\n');
    expect(dockerfileImages('Dockerfile', text).map((f) => `${f.location.startLine} ${f.image}${f.stage ? ` as ${f.stage}` : ''}`)).toEqual([
      '4 golang:1.22-alpine as build',
      '6 debian:bookworm-slim',
      '10 python:3.12 as py',
    ]);
  });
});
