"Helpers shared by the jubao tests: users per role and minimal reports."
import datetime as dt

from trytond.pool import Pool

VALID_ID = '11010519491231002X'


def ref(xml_id, module='jubao_intake'):
    return Pool().get('ir.model.data').get_id(module, xml_id)


def create_user(login, group, office):
    "A user of ``group`` (XML id) working for ``office`` (XML id)."
    pool = Pool()
    User = pool.get('res.user')
    user, = User.create([{
                'login': login,
                'name': login,
                'groups': [('add', [ref(group)])],
                'jubao_offices': [('add', [ref(office)])],
                }])
    return user


def create_case(**values):
    "A draft report on a district cadre; ``values`` override the defaults."
    Case = Pool().get('jubao.case')
    defaults = {
        'channel': 'letter',
        'received_date': dt.date(2026, 3, 2),
        'summary': '反映区住建局副局长张伟收受礼金问题',
        'content': '张伟在老旧小区改造工程中收受施工单位负责人礼金五万元。',
        'subjects': [('create', [{
                        'name': '张伟',
                        'unit': '区住房和城乡建设局',
                        'position': '副局长',
                        'authority': 'district',
                        }])],
        }
    defaults.update(values)
    case, = Case.create([defaults])
    return case
