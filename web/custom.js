/* jubao's additions to the sao web client, loaded by sao's index.html
   (custom.js); scripts/setup.sh copies this file into sao's root. */
(function() {
    'use strict';
    // The platform's own name in the header and the page title
    var TITLE = '纪委监委信访举报管理平台';
    // trytond.conf's [database] default_name: the demo's and production's
    var DEFAULT_DATABASE = 'jubao';
    var LAST_DATABASE = 'jubao_last_database';

    Sao.config.title = TITLE;
    document.title = TITLE;

    // Chinese before login too, whatever the browser's language (after
    // login sao sets the user's own, zh_CN)
    var setlang = Sao.i18n.setlang;
    Sao.i18n.setlang = function(lang) {
        return setlang.call(this, lang || 'zh_CN');
    };

    // The login form comes filled in with the database last logged into
    var login_dialog = Sao.Session.login_dialog;
    Sao.Session.login_dialog = function() {
        var dialog = login_dialog.apply(this, arguments);
        if (!dialog.database_input.val()) {
            dialog.database_input.val(
                localStorage.getItem(LAST_DATABASE) || DEFAULT_DATABASE);
        }
        return dialog;
    };
    var store = Sao.Session.prototype.store;
    Sao.Session.prototype.store = function() {
        localStorage.setItem(LAST_DATABASE, this.database);
        return store.apply(this, arguments);
    };

    // A button run on several selected rows acts on all of them: its
    // confirmation says how many, not "this one"; the list is searched
    // again afterwards
    var button = Sao.Screen.prototype.button;
    Sao.Screen.prototype.button = function(attributes) {
        var count = this.current_view ?
            this.current_view.selected_records.length : 1;
        if (attributes.confirm && count > 1) {
            attributes = jQuery.extend({}, attributes, {
                'confirm': attributes.confirm + '\n（已选中 ' + count +
                    ' 条记录，将对全部 ' + count + ' 条执行）',
            });
        }
        return jQuery.when(button.call(this, attributes)).then(() => {
            // A list searches again after a button: rows that left its
            // tab (登记 on 待登记) go, and the tab counts follow
            var view = this.current_view;
            if (view && view.view_type == 'tree' && !this.group.parent) {
                return this.search_filter(this.screen_container.get_text());
            }
        });
    };

    // Opened on a given record (a link from a kanban board): that record,
    // not the home page opened over it by the login actions
    var deep_link = window.location.hash.replace(/^#!?/, '')
        .split('/').slice(1).join('/');
    var rpc = Sao.rpc;
    // sao hangs helpers on Sao.rpc (prepareObject, …): keep them
    Sao.rpc = Object.assign(function(args) {
        var result = rpc.apply(this, arguments);
        if (deep_link && args.method == 'model.res.user.get_preferences' &&
                args.params[0] === false) {
            deep_link = null;
            return result.then(function(preferences) {
                preferences.actions = [];
                return preferences;
            });
        }
        return result;
    }, rpc);

    // The calendar view loads only its visible dates: a list or a graph
    // shown after it searches again, instead of keeping those rows as if
    // a hidden date filter applied
    var switch_view = Sao.Screen.prototype.switch_view;
    Sao.Screen.prototype.switch_view = function() {
        if (this.current_view && this.current_view.view_type == 'calendar') {
            this.jubao_calendar_rows = true;
        }
        return jQuery.when(switch_view.apply(this, arguments)).then(() => {
            var view = this.current_view;
            if (this.jubao_calendar_rows && view &&
                    (view.view_type == 'tree' || view.view_type == 'graph')) {
                this.jubao_calendar_rows = false;
                return this.search_filter(
                    this.screen_container.get_text());
            }
        });
    };
}());
