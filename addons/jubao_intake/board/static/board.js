/* The kanban board engine of jubao (see addons/jubao_intake/board.py).
 *
 * Draws the board described by the JSON definition embedded in the page and
 * talks to trytond only through its JSON-RPC at /<database>/rpc/ with the
 * user's sao session cookie: reads are search_read/search_count, a move
 * calls the model's button exactly as sao does, so every server check
 * (record rules, field access, recusal, workflow) applies. */
(function() {
    'use strict';

    var definition = JSON.parse(
        document.getElementById('board-definition').textContent);
    var database = document.body.dataset.database;
    var rpcUrl = '/' + encodeURIComponent(database) + '/rpc/';
    var context = {};
    var columnLabels = {};
    var rpcId = 0;
    var boardEl = document.getElementById('board');
    var statusEl = document.getElementById('board-status');
    var messageEl = document.getElementById('board-message');
    var filtersEl = document.getElementById('board-filters');
    var loading = 0;
    var lastDrag = 0;

    function NotLoggedIn() {}

    function RpcError(error) {
        this.error = error;
    }

    /* Tryton's JSON encodes dates and decimals as objects */
    function revive(key, value) {
        if (value && typeof value === 'object' && value.__class__) {
            switch (value.__class__) {
                case 'date':
                    return new Date(value.year, value.month - 1, value.day);
                case 'datetime':
                    return new Date(value.year, value.month - 1, value.day,
                        value.hour, value.minute, value.second);
                case 'Decimal':
                    return Number(value.decimal);
            }
        }
        return value;
    }

    function encodeDate(year, month, day) {
        return {'__class__': 'date', 'year': year, 'month': month,
            'day': day};
    }

    function rpc(method, params) {
        var id = ++rpcId;
        return fetch(rpcUrl, {
            method: 'POST',
            credentials: 'same-origin',
            // as jQuery (sao) sends it: trytond then answers a missing
            // session with 401 alone, not with a Basic login dialog
            headers: {'Content-Type': 'application/json',
                'X-Requested-With': 'XMLHttpRequest'},
            body: JSON.stringify({'id': id, 'method': method,
                'params': params}),
        }).then(function(response) {
            if (response.status === 401 || response.status === 403) {
                throw new NotLoggedIn();
            }
            if (!response.ok) {
                throw new RpcError(['HTTP', ['服务器错误（' +
                    response.status + '），请稍后重试。', '']]);
            }
            return response.text();
        }).then(function(text) {
            var data = JSON.parse(text, revive);
            if (data.error) {
                throw new RpcError(data.error);
            }
            return data.result;
        });
    }

    function call(model, method, args) {
        return rpc('model.' + model + '.' + method, args.concat([context]));
    }

    /* The Chinese text of a server error */
    function errorText(err) {
        if (err instanceof NotLoggedIn) {
            return '会话已过期，请重新登录。';
        }
        if (err instanceof RpcError) {
            var type = err.error[0], args = err.error[1] || [];
            if (type === 'UserError' || type === 'HTTP') {
                return [args[0], args[1]].filter(Boolean).join('\n');
            }
            if (type === 'UserWarning') {
                return [args[1], args[2]].filter(Boolean).join('\n');
            }
            if (typeof type === 'string' && type.indexOf('AccessError') >= 0) {
                return '没有权限执行此操作。';
            }
            return '操作失败：服务器拒绝了请求。';
        }
        return '无法连接服务器，请检查网络后重试。';
    }

    function showMessage(text, kind) {
        messageEl.textContent = text;
        messageEl.className = 'board-message ' + (kind || 'error');
        messageEl.hidden = !text;
    }

    function showLogin() {
        boardEl.textContent = '';
        filtersEl.textContent = '';
        var p = document.createElement('p');
        p.className = 'board-login';
        p.appendChild(document.createTextNode(
            '您尚未登录或登录已过期，看板无法显示。请先'));
        var a = document.createElement('a');
        a.href = '/#' + encodeURIComponent(database);
        a.textContent = '登录系统';
        p.appendChild(a);
        p.appendChild(document.createTextNode('，再从菜单打开看板。'));
        boardEl.appendChild(p);
        showMessage('');
    }

    function recordUrl(id) {
        return '/#' + encodeURIComponent(database) + '/model/' +
            definition.model + '/' + id;
    }

    function openRecord(id) {
        window.open(recordUrl(id), '_blank');
    }

    /* The value of a dotted field name in a search_read row */
    function valueOf(row, name) {
        if (!name) {
            return null;
        }
        var parts = name.split('.');
        if (parts.length === 1) {
            return row[name];
        }
        var value = row[parts[0] + '.'];
        var rest = parts.slice(1).join('.');
        if (Array.isArray(value)) {
            return value.map(function(v) {
                return v ? v[rest] : null;
            }).filter(Boolean).join('、');
        }
        return value ? value[rest] : null;
    }

    function formatDate(date) {
        if (!(date instanceof Date)) {
            return '';
        }
        return date.getFullYear() + '年' + (date.getMonth() + 1) + '月' +
            date.getDate() + '日';
    }

    function truncate(text, length) {
        text = (text || '').replace(/\s+/g, ' ').trim();
        return text.length > length ? text.slice(0, length) + '…' : text;
    }

    /* Filters ----------------------------------------------------------- */

    function filterDomain() {
        var domain = [];
        definition.filters.forEach(function(filter) {
            var input = filtersEl.elements[filter.name];
            if (!input || !input.value) {
                return;
            }
            var value = parseInt(input.value, 10);
            if (filter.kind === 'year') {
                var field = filter.fields[0];
                if (filter.integer) {
                    domain.push([field, '=', value]);
                } else {
                    domain.push([field, '>=', encodeDate(value, 1, 1)]);
                    domain.push([field, '<=', encodeDate(value, 12, 31)]);
                }
            } else if (filter.fields.length === 1) {
                domain.push([filter.fields[0], '=', value]);
            } else {
                domain.push(['OR'].concat(filter.fields.map(function(f) {
                    return [f, '=', value];
                })));
            }
        });
        return domain;
    }

    function addSelect(filter, label, options, empty) {
        var wrapper = document.createElement('label');
        wrapper.appendChild(document.createTextNode(label + '：'));
        var select = document.createElement('select');
        select.name = filter.name;
        var all = document.createElement('option');
        all.value = '';
        all.textContent = empty;
        select.appendChild(all);
        options.forEach(function(option) {
            var el = document.createElement('option');
            el.value = String(option[0]);
            el.textContent = option[1];
            select.appendChild(el);
        });
        select.addEventListener('change', load);
        wrapper.appendChild(select);
        filtersEl.appendChild(wrapper);
    }

    function buildFilters(fieldsInfo) {
        var year = new Date().getFullYear();
        var promises = definition.filters.map(function(filter) {
            var info = fieldsInfo[filter.fields[0].split('.')[0]] || {};
            if (filter.kind === 'year') {
                var years = [];
                for (var y = year + 1; y >= year - 4; y--) {
                    years.push([y, y + '年']);
                }
                return Promise.resolve([filter, '年度', years, '全部年度']);
            }
            return call(filter.relation, 'search_read',
                [[], 0, 500, null, ['rec_name']]).then(function(rows) {
                var options = rows.map(function(r) {
                    return [r.id, r.rec_name];
                }).sort(function(a, b) {
                    return a[1].localeCompare(b[1], 'zh-CN');
                });
                return [filter, info.string || filter.name, options, '全部'];
            }, function() {
                // The user may not list these records: no such filter.
                return null;
            });
        });
        return Promise.all(promises).then(function(results) {
            results.forEach(function(result) {
                if (result) {
                    addSelect.apply(null, result);
                }
            });
        });
    }

    /* Columns and cards ------------------------------------------------- */

    function badge(row) {
        var days = valueOf(row, definition.days_left);
        var due = valueOf(row, definition.deadline);
        var status = valueOf(row, definition.due_status);
        if (!(due instanceof Date)) {
            return null;
        }
        var el = document.createElement('div');
        el.className = 'card-deadline';
        var date = document.createElement('span');
        date.textContent = '期限 ' + formatDate(due);
        el.appendChild(date);
        if (days !== null && days !== undefined) {
            var b = document.createElement('span');
            b.className = 'badge';
            if (days < 0 || status === 'overdue') {
                b.classList.add('overdue');
                b.textContent = '超期' + Math.abs(days) + '个工作日';
            } else {
                if (status === 'due_soon') {
                    b.classList.add('due-soon');
                }
                b.textContent = '剩' + days + '个工作日';
            }
            el.appendChild(b);
        }
        return el;
    }

    function card(row) {
        var el = document.createElement('article');
        el.className = 'card';
        el.dataset.id = row.id;
        el.tabIndex = 0;
        var status = valueOf(row, definition.due_status);
        if (status === 'overdue') {
            el.classList.add('overdue');
        } else if (status === 'due_soon') {
            el.classList.add('due-soon');
        }
        var title = document.createElement('div');
        title.className = 'card-title';
        title.textContent = valueOf(row, definition.title) || ('#' + row.id);
        el.appendChild(title);
        var summary = truncate(valueOf(row, definition.summary), 90);
        if (summary) {
            var s = document.createElement('div');
            s.className = 'card-summary';
            s.textContent = summary;
            el.appendChild(s);
        }
        var who = truncate([valueOf(row, definition.leader),
            valueOf(row, definition.unit)].filter(Boolean).join(' · '), 70);
        if (who) {
            var w = document.createElement('div');
            w.className = 'card-who';
            w.textContent = who;
            el.appendChild(w);
        }
        var b = badge(row);
        if (b) {
            el.appendChild(b);
        }
        el.addEventListener('click', function() {
            if (Date.now() - lastDrag < 400) {
                return;  // the end of a drag, not a click
            }
            openRecord(row.id);
        });
        el.addEventListener('keydown', function(event) {
            if (event.key === 'Enter') {
                openRecord(row.id);
            }
        });
        return el;
    }

    function column(state, rows, count) {
        var el = document.createElement('section');
        el.className = 'column';
        el.dataset.state = state;
        var header = document.createElement('h2');
        var label = document.createElement('span');
        label.className = 'column-label';
        label.textContent = columnLabels[state] || state;
        var counter = document.createElement('span');
        counter.className = 'column-count';
        counter.textContent = String(count);
        header.appendChild(label);
        header.appendChild(counter);
        el.appendChild(header);
        var list = document.createElement('div');
        list.className = 'cards';
        list.dataset.state = state;
        rows.forEach(function(row) {
            list.appendChild(card(row));
        });
        el.appendChild(list);
        if (count > rows.length) {
            var more = document.createElement('p');
            more.className = 'column-more';
            more.textContent = '仅显示最紧迫的' + rows.length + '张，共' +
                count + '张；请用筛选缩小范围。';
            el.appendChild(more);
        }
        return el;
    }

    function load() {
        var token = ++loading;
        var extra = filterDomain();
        statusEl.textContent = '正在加载……';
        var requests = definition.columns.map(function(state) {
            var domain = [[definition.state_field, '=', state]].concat(extra);
            return Promise.all([
                call(definition.model, 'search_read', [domain, 0,
                    definition.limit, definition.order, definition.fields]),
                call(definition.model, 'search_count', [domain]),
            ]);
        });
        return Promise.all(requests).then(function(results) {
            if (token !== loading) {
                return;
            }
            boardEl.textContent = '';
            var total = 0;
            results.forEach(function(result, i) {
                total += result[1];
                boardEl.appendChild(
                    column(definition.columns[i], result[0], result[1]));
            });
            statusEl.textContent = '共' + total + '张';
            enableDrag();
        }, function(err) {
            if (err instanceof NotLoggedIn) {
                showLogin();
            } else {
                statusEl.textContent = '';
                showMessage(errorText(err));
            }
        });
    }

    /* Moves ------------------------------------------------------------- */

    function findMove(source, target) {
        return definition.moves.find(function(m) {
            return m.source === source && m.target === target;
        });
    }

    function snapBack(evt) {
        var item = evt.item;
        var reference = evt.from.children[evt.oldIndex] || null;
        evt.from.insertBefore(item, reference);
        item.classList.add('refused');
        window.setTimeout(function() {
            item.classList.remove('refused');
        }, 1500);
    }

    function runButton(move, id) {
        return call(definition.model, move.button, [[id]]).catch(
            function(err) {
                if (err instanceof RpcError && err.error[0] === 'UserWarning'
                        && window.confirm(errorText(err) +
                            '\n\n是否仍然继续？')) {
                    var name = err.error[1][0];
                    return call('res.user.warning', 'skip',
                        [name, false]).then(function() {
                        return call(definition.model, move.button, [[id]]);
                    });
                }
                throw err;
            });
    }

    function onDrop(evt) {
        lastDrag = Date.now();
        if (evt.from === evt.to) {
            return;
        }
        var source = evt.from.dataset.state;
        var target = evt.to.dataset.state;
        var id = parseInt(evt.item.dataset.id, 10);
        var move = findMove(source, target);
        var from = columnLabels[source] || source;
        var to = columnLabels[target] || target;
        if (!move) {
            snapBack(evt);
            showMessage('不能把卡片从“' + from + '”直接移到“' + to +
                '”：没有这一步办理操作。');
            return;
        }
        if (move.wizard) {
            snapBack(evt);
            showMessage('移到“' + to + '”需要在表单中填写办理信息，' +
                '已在新标签页中打开该记录，请在那里完成。', 'info');
            openRecord(id);
            return;
        }
        evt.item.classList.add('moving');
        statusEl.textContent = '正在办理……';
        runButton(move, id).then(function() {
            showMessage('已移到“' + to + '”。', 'success');
            load();
        }, function(err) {
            evt.item.classList.remove('moving');
            snapBack(evt);
            statusEl.textContent = '';
            if (err instanceof NotLoggedIn) {
                showLogin();
            } else {
                showMessage(errorText(err));
            }
        });
    }

    function enableDrag() {
        if (typeof Sortable === 'undefined') {
            showMessage('拖放组件未安装，卡片不能拖动（请运行 bin/jubao setup）。',
                'info');
            return;
        }
        boardEl.querySelectorAll('.cards').forEach(function(list) {
            Sortable.create(list, {
                group: 'board',
                sort: false,
                animation: 120,
                // mouse and touch events rather than HTML5 drag and drop:
                // the same behaviour in every browser (and under test)
                forceFallback: true,
                fallbackTolerance: 4,
                ghostClass: 'card-ghost',
                onStart: function() {
                    showMessage('');
                },
                onEnd: onDrop,
            });
        });
    }

    /* Start ------------------------------------------------------------- */

    function start() {
        rpc('model.res.user.get_preferences', [true, {}]).then(
            function(preferences) {
                context = preferences || {};
                var names = [definition.state_field].concat(
                    definition.filters.map(function(f) {
                        return f.fields[0].split('.')[0];
                    }));
                return call(definition.model, 'fields_get', [names]);
            }).then(function(fieldsInfo) {
                (fieldsInfo[definition.state_field].selection || []).forEach(
                    function(item) {
                        columnLabels[item[0]] = item[1];
                    });
                return buildFilters(fieldsInfo);
            }).then(load, function(err) {
                if (err instanceof NotLoggedIn) {
                    showLogin();
                } else {
                    showMessage(errorText(err));
                }
            });
    }

    window.jubaoBoard = {reload: load};
    start();
}());
