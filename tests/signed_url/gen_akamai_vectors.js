#!/usr/bin/env node
// Generates Akamai EdgeAuth 2.0 vectors with the independent akamai-edgeauth
// signer (npm), for tests/signed_url/akamai_test.cc. Prints JSON to stdout.
// Exits 77 if the package is not installed (npm ci in this folder).
'use strict';
let EdgeAuth;
try {
  EdgeAuth = require('akamai-edgeauth');
} catch (e) {
  console.error('akamai-edgeauth is not installed: run `npm ci` in tests/signed_url');
  process.exit(77);
}

const KEY = '52a152a152a152a152a152a152a1';
const START = 1700000000;
const END = 1700003600;
const cases = [];

// add records one signed token and how edgekit must judge it. |opts| are the
// signer's options; |verifier| the matching edgekit options.
function add(name, opts, make, request, expect, verifier) {
  const ea = new EdgeAuth(Object.assign({key: KEY}, opts));
  const token = make(ea);
  const v = Object.assign({key_hex: opts.key || KEY,
                           algorithm: opts.algorithm || 'sha256',
                           token_name: opts.tokenName || '__token__',
                           field_delimiter: opts.fieldDelimiter || '~',
                           acl_delimiter: opts.aclDelimiter || '!',
                           salt: opts.salt || '',
                           escape_early: !!opts.escapeEarly}, verifier || {});
  const req = Object.assign({path: '/', query: '', cookie: '', header: '',
                             client_ip: '', now: START + 10}, request);
  const name_ = v.token_name;
  if (req.where === 'cookie') req.cookie = 'a=b; ' + name_ + '=' + token + '; c=d';
  else if (req.where === 'header') req.header = token;
  else req.query = (req.query ? req.query + '&' : '') + name_ + '=' + token;
  delete req.where;
  cases.push({name, token, verifier: v, request: req, expect});
}

const base = {startTime: START, endTime: END};
for (const algorithm of ['sha256', 'sha1', 'md5']) {
  add('acl_' + algorithm, Object.assign({algorithm}, base),
      ea => ea.generateACLToken('/videos/*'), {path: '/videos/a/b.mp4'}, 'ok');
  add('url_' + algorithm, Object.assign({algorithm}, base),
      ea => ea.generateURLToken('/videos/a.mp4'), {path: '/videos/a.mp4'}, 'ok');
}
add('acl_list', {endTime: END}, ea => ea.generateACLToken(['/a/*', '/b/?.ts', '/c']),
    {path: '/b/1.ts'}, 'ok');
add('acl_list_third', {endTime: END}, ea => ea.generateACLToken(['/a/*', '/b/?.ts', '/c']),
    {path: '/c'}, 'ok');
add('acl_list_miss', {endTime: END}, ea => ea.generateACLToken(['/a/*', '/b/?.ts', '/c']),
    {path: '/b/12.ts'}, 'path_mismatch');
add('acl_question_mark', {endTime: END}, ea => ea.generateACLToken('/seg?.ts'),
    {path: '/seg7.ts'}, 'ok');
add('acl_star_middle', {endTime: END}, ea => ea.generateACLToken('/live/*/index.m3u8'),
    {path: '/live/ch1/hd/index.m3u8'}, 'ok');
add('acl_no_match', Object.assign({}, base), ea => ea.generateACLToken('/videos/*'),
    {path: '/images/x.png'}, 'path_mismatch');
add('url_other_path', Object.assign({}, base), ea => ea.generateURLToken('/videos/a.mp4'),
    {path: '/videos/b.mp4'}, 'bad_signature');
add('all_fields', Object.assign({ip: '192.0.2.7', sessionId: 'user-42', payload: 'plan=gold',
                                 salt: 'pepper'}, base),
    ea => ea.generateACLToken('/*'), {path: '/x', client_ip: '192.0.2.7'}, 'ok');
add('ip_mismatch', Object.assign({ip: '192.0.2.7'}, base), ea => ea.generateACLToken('/*'),
    {path: '/x', client_ip: '192.0.2.8'}, 'ip_mismatch');
add('salt_missing_in_verifier', Object.assign({salt: 'pepper'}, base),
    ea => ea.generateACLToken('/*'), {path: '/x'}, 'bad_signature', {salt: ''});
add('expired_at_exp', Object.assign({}, base), ea => ea.generateACLToken('/*'),
    {path: '/x', now: END}, 'expired');
add('valid_last_second', Object.assign({}, base), ea => ea.generateACLToken('/*'),
    {path: '/x', now: END - 1}, 'ok');
add('not_yet_valid', Object.assign({}, base), ea => ea.generateACLToken('/*'),
    {path: '/x', now: START - 1}, 'not_yet_valid');
add('valid_at_start', Object.assign({}, base), ea => ea.generateACLToken('/*'),
    {path: '/x', now: START}, 'ok');
add('window_seconds', {startTime: START, windowSeconds: 300}, ea => ea.generateURLToken('/w'),
    {path: '/w', now: START + 299}, 'ok');
add('escape_early_url', Object.assign({escapeEarly: true, sessionId: 'a b~c', payload: "it's*"}, base),
    ea => ea.generateURLToken('/dir/file name(1)!.mp4'),
    {path: '/dir/file name(1)!.mp4'}, 'ok');
add('escape_early_ipv6', Object.assign({escapeEarly: true, ip: '2001:db8::1'}, base),
    ea => ea.generateACLToken('/*'), {path: '/v6', client_ip: '2001:db8::1'}, 'ok');
add('cookie', Object.assign({}, base), ea => ea.generateACLToken('/*'),
    {path: '/c', where: 'cookie'}, 'ok');
add('header', Object.assign({}, base), ea => ea.generateACLToken('/*'),
    {path: '/h', where: 'header'}, 'ok');
add('hdnts_name', Object.assign({tokenName: 'hdnts'}, base), ea => ea.generateACLToken('/*'),
    {path: '/h', query: 'x=1'}, 'ok');
add('field_delimiter', Object.assign({fieldDelimiter: ';'}, base),
    ea => ea.generateURLToken('/semi'), {path: '/semi', where: 'header'}, 'ok');
add('acl_delimiter', Object.assign({aclDelimiter: ','}, base),
    ea => ea.generateACLToken(['/p/*', '/q/*']), {path: '/q/1'}, 'ok');
add('wrong_key', Object.assign({}, base), ea => ea.generateACLToken('/*'), {path: '/x'},
    'bad_signature', {key_hex: '00112233445566778899aabbccdd'});
add('wrong_algorithm', Object.assign({algorithm: 'sha1'}, base),
    ea => ea.generateACLToken('/*'), {path: '/x'}, 'malformed', {algorithm: 'sha256'});

const pkg = require('akamai-edgeauth/package.json');
process.stdout.write(JSON.stringify({generator: 'akamai-edgeauth ' + pkg.version,
                                     cases}, null, 1) + '\n');
