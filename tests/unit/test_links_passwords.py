import unittest

from jubao import links, passwords


class SafeLinkTest(unittest.TestCase):

    def test_web_addresses_accepted(self):
        for value in [None, '', 'https://weibo.com/123456/abc',
                'http://bbs.example.cn/thread?id=5&p=2',
                'HTTPS://Example.COM/', 'https://中文.example/路径']:
            with self.subTest(value=value):
                self.assertTrue(links.is_safe_link(value))

    def test_other_schemes_refused(self):
        for value in ['javascript:alert(1)', 'JavaScript:alert(1)',
                ' javascript:alert(1)', 'java\tscript:alert(1)',
                'data:text/html,<script>alert(1)</script>',
                'vbscript:msgbox(1)', 'file:///etc/passwd',
                'ftp://example.com/a', '//evil.example/x', 'example.com',
                'https://', 'http:///path', 'https://exa mple.com',
                'https://example.com/\njavascript:x', 'http://[::1']:
            with self.subTest(value=value):
                self.assertFalse(links.is_safe_link(value))


class PasswordTest(unittest.TestCase):

    def test_entropy(self):
        self.assertEqual(passwords.entropy(''), 0)
        self.assertEqual(passwords.entropy('abcd'), 1)
        self.assertLess(passwords.entropy('aaaaaaaaaaab'), 0.6)
        self.assertGreaterEqual(passwords.entropy('Xq7#vL9!pR2m'), 0.6)

    def test_common_list(self):
        for password in ['jubao-2026', 'JUBAO-2026', 'admin', '123456',
                'password', '5201314', 'woaini1314', 'qwerty123']:
            with self.subTest(password=password):
                self.assertTrue(passwords.is_common(password))
        self.assertFalse(passwords.is_common('Xq7#vL9!pR2m'))
