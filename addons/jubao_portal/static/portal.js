/* Optional: the proof of work before submitting and the length counter.
   The pages work without it (see the README). */
(function () {
    'use strict';
    document.documentElement.classList.add('js');
    function zeroBits(bytes) {
        var bits = 0;
        for (var i = 0; i < bytes.length; i++) {
            if (bytes[i] === 0) { bits += 8; continue; }
            var b = bytes[i];
            while (!(b & 0x80)) { bits += 1; b <<= 1; }
            break;
        }
        return bits;
    }
    async function solve(challenge, difficulty) {
        var encoder = new TextEncoder();
        for (var counter = 0; ; counter++) {
            var digest = await crypto.subtle.digest(
                'SHA-256', encoder.encode(challenge + '|' + counter));
            if (zeroBits(new Uint8Array(digest)) >= difficulty) {
                return String(counter);
            }
        }
    }
    document.querySelectorAll('form.pow').forEach(function (form) {
        var done = false;
        form.addEventListener('submit', function (event) {
            if (done || !(window.crypto && crypto.subtle)) { return; }
            event.preventDefault();
            var challenge = form.elements.pow_challenge;
            var button = form.querySelector('button[type=submit]');
            if (button) { button.disabled = true; button.textContent = '正在进行安全校验…'; }
            solve(challenge.value, parseInt(challenge.dataset.difficulty, 10))
                .then(function (counter) {
                    form.elements.pow_counter.value = counter;
                    done = true;
                    form.submit();
                });
        });
    });
    document.querySelectorAll('.file input[type=file]').forEach(function (input) {
        var names = input.parentNode.querySelector('.file-names');
        if (!names) { return; }
        input.addEventListener('change', function () {
            var list = Array.prototype.map.call(input.files, function (f) { return f.name; });
            names.textContent = list.length ?
                '已选择 ' + list.length + ' 个文件：' + list.join('、') : '未选择文件';
        });
    });
    var content = document.getElementById('content');
    var count = document.getElementById('content-count');
    if (content && count) {
        var min = parseInt(content.dataset.min, 10);
        var update = function () {
            var n = content.value.trim().length;
            count.textContent = '已输入 ' + n + ' 字' + (n < min ? '，至少 ' + min + ' 字' : '');
        };
        content.addEventListener('input', update);
        update();
    }
}());
