import io
import unittest
import zipfile

from jubao import portal

SECRET = b'unit-test-secret'


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        for name in names:
            archive.writestr(name, '<x/>')
    return buffer.getvalue()


class QueryCodeTest(unittest.TestCase):

    def test_format_and_uniqueness(self):
        codes = {portal.new_query_code() for _ in range(2000)}
        self.assertEqual(len(codes), 2000)
        for code in list(codes)[:50]:
            self.assertRegex(code, r'^([0-9A-HJKMNP-TV-Z]{4}-){3}'
                r'[0-9A-HJKMNP-TV-Z]{4}$')

    def test_derived_code_is_stable_and_keyed(self):
        a = portal.derive_query_code(SECRET, 'form-1')
        self.assertEqual(a, portal.derive_query_code(SECRET, 'form-1'))
        self.assertNotEqual(a, portal.derive_query_code(SECRET, 'form-2'))
        self.assertNotEqual(a, portal.derive_query_code(b'other', 'form-1'))

    def test_normalize(self):
        code = portal.new_query_code()
        self.assertEqual(portal.normalize_code(
                code.lower().replace('-', ' ')), code)
        self.assertEqual(portal.normalize_code('o0000000-0000-0000'),
            '0000-0000-0000-0000')
        self.assertIsNone(portal.normalize_code('ABC'))
        self.assertIsNone(portal.normalize_code(None))
        self.assertEqual(len(portal.hash_code(code)), 64)


class TokenTest(unittest.TestCase):

    def test_token_roundtrip_expiry_tamper(self):
        token = portal.make_token(SECRET, 'csrf', 'v', ttl=60, now=1000)
        self.assertEqual(portal.check_token(SECRET, 'csrf', token, now=1030),
            'v')
        self.assertIsNone(portal.check_token(SECRET, 'csrf', token, now=1100))
        self.assertIsNone(portal.check_token(SECRET, 'pow', token, now=1030))
        self.assertIsNone(portal.check_token(b'x', 'csrf', token, now=1030))
        self.assertIsNone(portal.check_token(SECRET, 'csrf', token[:-1] + (
                    '0' if token[-1] != '0' else '1'), now=1030))
        self.assertIsNone(portal.check_token(SECRET, 'csrf', 'garbage'))

    def test_csrf_double_submit(self):
        token = portal.make_token(SECRET, 'csrf')
        other = portal.make_token(SECRET, 'csrf')
        self.assertTrue(portal.check_csrf(SECRET, token, token))
        self.assertFalse(portal.check_csrf(SECRET, token, other))
        self.assertFalse(portal.check_csrf(SECRET, token, None))
        self.assertFalse(portal.check_csrf(SECRET, '', ''))


class ProofOfWorkTest(unittest.TestCase):

    def test_solved_once(self):
        pow_ = portal.ProofOfWork(SECRET)
        challenge = portal.issue_challenge(SECRET, 8)
        counter = portal.solve(challenge, 8)
        self.assertGreaterEqual(portal.leading_zero_bits(
                portal.pow_digest(challenge, counter)), 8)
        self.assertEqual(pow_.verify(challenge, counter), 'solved')
        self.assertIsNone(pow_.verify(challenge, counter), "replayed")

    def test_wrong_solution_and_no_js(self):
        pow_ = portal.ProofOfWork(SECRET, min_age=5)
        challenge = portal.issue_challenge(SECRET, 20, now=1000)
        bad = next(str(c) for c in range(100) if portal.leading_zero_bits(
                portal.pow_digest(challenge, c)) < 20)
        self.assertIsNone(pow_.verify(challenge, bad, now=1001))
        self.assertIsNone(pow_.verify(challenge, '', now=1001), "too fast")
        self.assertEqual(pow_.verify(challenge, '', now=1010), 'slow')
        self.assertIsNone(pow_.verify('forged.8:0.9999999999.x', '1'))

    def test_leading_zero_bits(self):
        self.assertEqual(portal.leading_zero_bits(b'\x00\x0f'), 12)
        self.assertEqual(portal.leading_zero_bits(b'\x80'), 0)


class RateLimitTest(unittest.TestCase):

    def test_bucket(self):
        now = [0.0]
        limiter = portal.RateLimiter(3, 0.5, clock=lambda: now[0])
        self.assertEqual([limiter.allow('a') for _ in range(4)],
            [True, True, True, False])
        self.assertTrue(limiter.allow('b'))
        now[0] += 2
        self.assertTrue(limiter.allow('a'))
        self.assertFalse(limiter.allow('a'))
        self.assertFalse(limiter.allow('b', cost=5))

    def test_client_key_rotates_and_hides_address(self):
        a = portal.client_key(SECRET, '203.0.113.7', '2026-12-01')
        self.assertEqual(a, portal.client_key(
                SECRET, '203.0.113.7', '2026-12-01'))
        self.assertNotEqual(a, portal.client_key(
                SECRET, '203.0.113.7', '2026-12-02'))
        self.assertNotIn('203', a)


class UploadTest(unittest.TestCase):

    def test_sniff_accepted(self):
        samples = {
            b'\xff\xd8\xff\xe0JFIF': 'jpeg',
            b'\x89PNG\r\n\x1a\n....': 'png',
            b'GIF89a...': 'gif',
            b'RIFF\0\0\0\0WEBPVP8 ': 'webp',
            b'RIFF\0\0\0\0WAVEfmt ': 'wav',
            b'%PDF-1.7\n': 'pdf',
            b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0': 'ole',
            b'#!AMR\n': 'amr',
            b'ID3\x04\0': 'mp3',
            b'\0\0\0\x20ftypM4A \0\0': 'm4a',
            _zip(['[Content_Types].xml', 'word/document.xml']): 'docx',
            _zip(['[Content_Types].xml', 'xl/workbook.xml']): 'xlsx',
            }
        for data, kind in samples.items():
            self.assertEqual(portal.sniff(data), kind, data[:12])

    def test_sniff_refused(self):
        for data in [b'MZ\x90\0\3\0\0\0', b'\x7fELF\2\1\1',
                b'<!DOCTYPE html><html>', b'<svg xmlns="x">',
                b'<?xml version="1.0"?><svg/>', b'#!/bin/sh\n',
                _zip(['evil.exe']), b'PK\x03\x04broken']:
            self.assertIsNone(portal.sniff(data), data[:12])

    def test_check_upload(self):
        self.assertEqual(portal.check_upload('x.jpg', b'MZ\x90\0', 100),
            (None, 'type'))
        self.assertEqual(portal.check_upload('x.jpg', b'\xff\xd8\xff' * 50,
                100), (None, 'size'))
        self.assertEqual(portal.check_upload('x.jpg', b'', 100),
            (None, 'empty'))
        self.assertEqual(portal.check_upload('证据.png', b'%PDF-1.4', 100),
            ('pdf', '证据.pdf'))
        self.assertEqual(portal.check_upload('a.JPG', b'\xff\xd8\xff', 100),
            ('jpeg', 'a.JPG'))

    def test_clean_filename(self):
        self.assertEqual(portal.clean_filename('../../etc/passwd'), 'passwd')
        self.assertEqual(portal.clean_filename('C:\\x\\照片 1.jpg'),
            '照片 1.jpg')
        self.assertEqual(portal.clean_filename('.htaccess'), 'htaccess')
        self.assertEqual(portal.clean_filename('a\x00b;rm -rf.pdf'),
            'abrm -rf.pdf')
        self.assertEqual(portal.clean_filename(''), '附件')
        self.assertLessEqual(len(portal.clean_filename('长' * 300 + '.pdf')),
            80)


if __name__ == '__main__':
    unittest.main()
