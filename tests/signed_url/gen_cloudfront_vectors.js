#!/usr/bin/env node
// Generates CloudFront signed-URL and signed-cookie vectors with AWS's own
// signer (@aws-sdk/cloudfront-signer), for tests/signed_url/cloudfront_test.cc.
// Prints JSON to stdout. Exits 77 if the package is not installed (npm ci in
// this folder). Keys: data/cloudfront_{rsa,ec,rsa2}_private.pem (test only).
'use strict';
const fs = require('fs');
const path = require('path');
let signer;
try {
  signer = require('@aws-sdk/cloudfront-signer');
} catch (e) {
  console.error('@aws-sdk/cloudfront-signer is not installed: run `npm ci` in tests/signed_url');
  process.exit(77);
}

const data = path.join(__dirname, 'data');
const keys = {
  K_RSA: fs.readFileSync(path.join(data, 'cloudfront_rsa_private.pem'), 'utf8'),
  K_EC: fs.readFileSync(path.join(data, 'cloudfront_ec_private.pem'), 'utf8'),
  K_RSA2: fs.readFileSync(path.join(data, 'cloudfront_rsa2_private.pem'), 'utf8'),
};
const HOST = 'https://d111111abcdef8.cloudfront.net';
const START = 1700000000;
const END = 1700003600;
const iso = s => new Date(s * 1000).toISOString();
const cases = [];

function split(url) {
  const q = url.indexOf('?');
  return q < 0 ? {path: url, query: ''} : {path: url.slice(0, q), query: url.slice(q + 1)};
}

// url adds a signed-URL case; |sign| are getSignedUrl's arguments.
function url(name, sign, request, expect, verifier) {
  const kid = sign.keyPairId || 'K_RSA';
  const signed = signer.getSignedUrl(Object.assign(
      {keyPairId: kid, privateKey: keys[sign.signWith || kid]}, sign));
  const parts = split(signed);
  const req = Object.assign({path: parts.path, query: parts.query, cookie: '',
                             client_ip: '192.0.2.10', now: START + 10}, request);
  // A case may change the caller's own query parameters and keep the signed
  // ones: PLACEHOLDER stands for the signer's parameters.
  req.query = req.query.replace('PLACEHOLDER',
                                parts.query.split('&').filter(p => !p.startsWith('x=')).join('&'));
  cases.push({name, signed, request: req, expect, verifier: verifier || {}});
}

// cookie adds a signed-cookie case for |resource| requested as |request.path|.
function cookie(name, sign, request, expect) {
  const kid = sign.keyPairId || 'K_RSA';
  const c = signer.getSignedCookies(Object.assign(
      {keyPairId: kid, privateKey: keys[kid]}, sign));
  const header = Object.entries(c).map(([k, v]) => k + '=' + v).join('; ');
  const req = Object.assign({query: '', cookie: 'session=1; ' + header,
                             client_ip: '192.0.2.10', now: START + 10}, request);
  cases.push({name, signed: header, request: req, expect, verifier: {}});
}

const video = HOST + '/private/video.mp4';
for (const [kid, algorithm] of [['K_RSA', undefined], ['K_RSA', 'SHA256'],
                                ['K_EC', 'SHA256'], ['K_EC', undefined]]) {
  const tag = kid.toLowerCase() + '_' + (algorithm || 'sha1').toLowerCase();
  url('canned_' + tag, {url: video, keyPairId: kid, algorithm, dateLessThan: iso(END)},
      {}, 'ok');
  url('custom_' + tag, {url: video, keyPairId: kid, algorithm, dateLessThan: iso(END),
                        dateGreaterThan: iso(START), ipAddress: '192.0.2.0/24'},
      {}, 'ok');
}
url('canned_with_query', {url: video + '?quality=hd&lang=en', dateLessThan: iso(END)},
    {}, 'ok');
url('canned_escaped_path', {url: HOST + '/a dir/ü.mp4', dateLessThan: iso(END)}, {}, 'ok');
url('canned_expired', {url: video, dateLessThan: iso(END)}, {now: END}, 'expired');
url('canned_last_second', {url: video, dateLessThan: iso(END)}, {now: END - 1}, 'ok');
url('canned_other_path', {url: video, dateLessThan: iso(END)},
    {path: HOST + '/private/other.mp4'}, 'bad_signature');
url('canned_unknown_kid', {url: video, keyPairId: 'K_NOPE', signWith: 'K_RSA',
                           dateLessThan: iso(END)}, {}, 'key_not_found');
url('canned_kid_of_other_key', {url: video, keyPairId: 'K_RSA2', signWith: 'K_RSA',
                                dateLessThan: iso(END)}, {}, 'bad_signature');
url('canned_sha1_refused', {url: video, dateLessThan: iso(END)}, {}, 'unsupported_alg',
    {require_sha256: true});
url('custom_not_yet_valid', {url: video, dateLessThan: iso(END), dateGreaterThan: iso(START)},
    {now: START - 1}, 'not_yet_valid');
url('custom_at_start', {url: video, dateLessThan: iso(END), dateGreaterThan: iso(START)},
    {now: START}, 'ok');
url('custom_expired', {url: video, dateLessThan: iso(END), ipAddress: '192.0.2.10'},
    {now: END}, 'expired');
url('custom_ip_mismatch', {url: video, dateLessThan: iso(END), ipAddress: '192.0.2.0/24'},
    {client_ip: '198.51.100.1'}, 'ip_mismatch');
url('custom_ip_single', {url: video, dateLessThan: iso(END), ipAddress: '192.0.2.10'},
    {}, 'ok');

function policy(resource, extra) {
  return JSON.stringify({Statement: [{Resource: resource, Condition: Object.assign(
      {DateLessThan: {'AWS:EpochTime': END}}, extra || {})}]});
}
url('policy_wildcard', {policy: policy(HOST + '/private/*')},
    {path: HOST + '/private/deep/x.ts'}, 'ok');
url('policy_wildcard_miss', {policy: policy(HOST + '/private/*')},
    {path: HOST + '/public/x.ts'}, 'path_mismatch');
url('policy_wildcard_host', {policy: policy('https://*.cloudfront.net/*.m3u8')},
    {path: HOST + '/live/index.m3u8'}, 'ok');
url('policy_question_mark', {url: HOST + '/seg5.ts', policy: policy(HOST + '/seg?.ts')},
    {}, 'ok');
url('policy_query_kept', {url: HOST + '/v.mp4?x=1', policy: policy(HOST + '/v.mp4?x=*')},
    {}, 'ok');
url('policy_query_changed', {url: HOST + '/v.mp4?x=1', policy: policy(HOST + '/v.mp4?x=1')},
    {query: 'x=2&' + 'PLACEHOLDER'}, 'path_mismatch');
url('policy_ipv6', {policy: policy(HOST + '/*', {IpAddress: {'AWS:SourceIp': '2001:db8::/32'}})},
    {path: HOST + '/six', client_ip: '2001:db8:1::5'}, 'ok');
url('policy_ipv6_miss', {policy: policy(HOST + '/*', {IpAddress: {'AWS:SourceIp': '2001:db8::/32'}})},
    {path: HOST + '/six', client_ip: '2001:db9::5'}, 'ip_mismatch');
url('policy_sha256_ec', {policy: policy(HOST + '/*'), keyPairId: 'K_EC', algorithm: 'SHA256'},
    {path: HOST + '/any'}, 'ok');

cookie('cookie_canned', {url: video, dateLessThan: iso(END)}, {path: video}, 'ok');
cookie('cookie_custom', {url: HOST + '/private/*', dateLessThan: iso(END),
                         dateGreaterThan: iso(START)},
       {path: HOST + '/private/a.mp4'}, 'ok');
cookie('cookie_custom_sha256_ec', {url: HOST + '/private/*', dateLessThan: iso(END),
                                   ipAddress: '192.0.2.0/24', keyPairId: 'K_EC',
                                   algorithm: 'SHA256'},
       {path: HOST + '/private/a.mp4'}, 'ok');

const pkg = require('@aws-sdk/cloudfront-signer/package.json');
process.stdout.write(JSON.stringify({generator: '@aws-sdk/cloudfront-signer ' + pkg.version,
                                     cases}, null, 1) + '\n');
