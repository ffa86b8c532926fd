#!/usr/bin/env python3
"""Adds the national catalog's other categories to Sources/XinyongCore/Resources/catalog.json.

The 双公示 items (xzxk, xzcf) follow the national field standard and are maintained by hand. The
items below cover the rest of the 2021/2024 national basic catalog (domain-rules §1.2–1.3) with a
common subject block and each category's own fields. Openness for categories the national
catalogue's column could not be read for is marked [U] in `note` and is configuration: the credit
office can override it with a local item of its own code. Run again after editing: items it
generated before are replaced, hand-maintained ones are kept.
"""
import json, collections, pathlib

path = pathlib.Path(__file__).resolve().parent.parent / "Sources/XinyongCore/Resources/catalog.json"
catalog = json.loads(path.read_text(), object_pairs_hook=collections.OrderedDict)

def f(name, label, kind="text", required=False, **extra):
    d = collections.OrderedDict([("name", name), ("label", label), ("kind", kind), ("required", required)])
    d.update(extra)
    return d

def subject_block(p, persons=True):
    """The subject fields every item shares: name, category, credit code, legal representative, ID."""
    fields = [
        f(f"{p}_XDR_MC", "主体名称", required=True, maxLength=200),
        f(f"{p}_XDR_LB", "主体类别", "code", True, codeList="xdr_lb" if persons else "xdr_lb_org"),
        f(f"{p}_XDR_SHXYM", "统一社会信用代码", "uscc", not persons),
        f(f"{p}_FRDB", "法定代表人（负责人）", maxLength=50),
    ]
    if persons:
        fields += [f(f"{p}_XDR_ZJLX", "证件类型", "code", codeList="zjlx"),
                   f(f"{p}_XDR_ZJHM", "证件号码", "identity_number", typeField=f"{p}_XDR_ZJLX")]
    rules = [
        {"kind": "required_when", "field": f"{p}_XDR_LB", "values": ["法人及非法人组织", "个体工商户"], "fields": [f"{p}_XDR_SHXYM"],
         "message": "法人及非法人组织、个体工商户须填写统一社会信用代码"},
    ]
    if persons:
        rules += [
            {"kind": "required_when", "field": f"{p}_XDR_LB", "values": ["自然人"], "fields": [f"{p}_XDR_ZJLX", f"{p}_XDR_ZJHM"],
             "message": "自然人须填写证件类型和证件号码"},
            {"kind": "empty_when", "field": f"{p}_XDR_LB", "values": ["自然人"], "fields": [f"{p}_XDR_SHXYM"],
             "message": "自然人不应填写统一社会信用代码"},
        ]
    binding = collections.OrderedDict([("name", f"{p}_XDR_MC"), ("category", f"{p}_XDR_LB"), ("code", f"{p}_XDR_SHXYM")])
    if persons:
        binding["idType"] = f"{p}_XDR_ZJLX"; binding["idNumber"] = f"{p}_XDR_ZJHM"
    return fields, rules, binding

def authority(p, label="作出决定机关"):
    return [f(f"{p}_JG", label, required=True, maxLength=200), f(f"{p}_JGDM", label + "统一社会信用代码", "uscc", True),
            f(f"{p}_SJLY", "数据来源单位", required=True, maxLength=200), f(f"{p}_SJLYDM", "数据来源单位统一社会信用代码", "uscc", True)]

def item(code, name, category, openness, publicity, p, specific, key, decision, *, until=None, persons=True, display=None, note=None, extra_rules=()):
    subj, rules, binding = subject_block(p, persons)
    fields = subj + specific + authority(p) + [f("BZ", "备注", maxLength=512)]
    rules = rules + [{"kind": "not_future", "field": decision, "message": f"{next(x['label'] for x in fields if x['name'] == decision)}不能晚于今天"}]
    if until:
        rules.append({"kind": "date_order", "fields": [decision, until],
                      "message": f"{next(x['label'] for x in fields if x['name'] == until)}不能早于{next(x['label'] for x in fields if x['name'] == decision)}"})
    rules += list(extra_rules)
    pf = collections.OrderedDict([("decisionDate", decision)])
    if until: pf["validUntil"] = until
    d = collections.OrderedDict([
        ("code", code), ("name", name), ("category", category), ("openness", openness), ("publicity", publicity),
        ("fields", fields), ("naturalKey", key), ("rules", rules), ("subject", binding), ("publicityFields", pf),
        ("display", display or [x["name"] for x in specific] + [f"{p}_JG"]),
        ("generated", True),
    ])
    if note: d["note"] = note
    return d

acts = [
    # code, name, prefix, openness, note
    ("xzqz", "行政强制", "QZ", "public", None),
    ("xzqr", "行政确认", "QR", "shared", "[U] 公开属性未能从全国目录核实，暂按政务共享；信用办可用本地目录项覆盖"),
    ("xzzs", "行政征收", "ZS", "shared", "[U] 公开属性未能从全国目录核实，暂按政务共享"),
    ("xzjf", "行政给付", "JF", "shared", "[U] 涉及个人给付，暂按政务共享"),
    ("xzcj", "行政裁决", "CJ", "shared", "[U] 公开属性未能从全国目录核实，暂按政务共享"),
    ("xzbc", "行政补偿", "BC", "shared", "[U] 公开属性未能从全国目录核实，暂按政务共享"),
    ("xzjl", "行政奖励", "JL", "public", None),
    ("xzjc", "行政检查", "JC", "public", "双随机、一公开抽查检查结果依法公示"),
]
generated = []
for code, name, p, openness, note in acts:
    specific = [
        f(f"{p}_WSH", "决定文书号", required=True, maxLength=128),
        f(f"{p}_XWMC", f"{name}事项名称", required=True, maxLength=200),
        f(f"{p}_NR", f"{name}内容", required=True, maxLength=4000),
        f(f"{p}_JDRQ", "决定日期", "date", True),
        f(f"{p}_YXQZ", "有效期至", "date"),
    ]
    generated.append(item(code, name, "行政管理信息", openness, "validity" if openness == "public" else "none", p, specific,
                          [f"{p}_WSH", f"{p}_JGDM"], f"{p}_JDRQ", until=f"{p}_YXQZ", note=note))

generated += [
    item("sfcp", "司法裁判信息", "司法裁判及执行信息", "public", "decision", "SF", [
        f("SF_AH", "案号", required=True, maxLength=128), f("SF_AY", "案由", required=True, maxLength=200),
        f("SF_CPRQ", "裁判日期", "date", True), f("SF_CPJG", "裁判结果摘要", required=True, maxLength=4000),
    ], ["SF_AH", "SF_XDR_MC"], "SF_CPRQ", persons=False,
        note="自然人当事人的裁判信息不经本平台公示；如需归集请使用授权查询类本地目录项"),
    item("sxbzxr", "失信被执行人", "司法裁判及执行信息", "public", "list", "SX", [
        f("SX_AH", "执行案号", required=True, maxLength=128), f("SX_YJWH", "执行依据文号", maxLength=128),
        f("SX_SXQX", "失信被执行人行为具体情形", required=True, maxLength=1000), f("SX_YW", "生效法律文书确定的义务", required=True, maxLength=2000),
        f("SX_LXQK", "被执行人的履行情况", maxLength=500), f("SX_FBRQ", "发布日期", "date", True), f("SX_YCRQ", "移除日期", "date"),
    ], ["SX_AH", "SX_XDR_MC"], "SX_FBRQ", until="SX_YCRQ", persons=False),
    item("zyzg", "职称和职业资格", "职称和职业信息", "authorized", "none", "ZG", [
        f("ZG_ZGMC", "资格或职称名称", required=True, maxLength=200), f("ZG_ZSBH", "证书编号", required=True, maxLength=128),
        f("ZG_FZRQ", "发证日期", "date", True), f("ZG_YXQZ", "有效期至", "date"),
    ], ["ZG_ZSBH", "ZG_JGDM"], "ZG_FZRQ", until="ZG_YXQZ", note="多为自然人信息，仅授权查询"),
    item("jyyc", "经营异常名录", "经营(活动)异常名录(状态)信息", "public", "list", "YC", [
        f("YC_LRYY", "列入原因", required=True, maxLength=500), f("YC_LRRQ", "列入日期", "date", True),
        f("YC_YCYY", "移出原因", maxLength=500), f("YC_YCRQ", "移出日期", "date"),
    ], ["YC_XDR_SHXYM", "YC_LRRQ", "YC_JGDM"], "YC_LRRQ", until="YC_YCRQ", persons=False),
    item("yzsx", "严重失信主体名单", "严重失信主体名单信息", "public", "list", "YZ", [
        f("YZ_RDWH", "认定文书号", required=True, maxLength=128), f("YZ_LRYY", "列入事由", required=True, maxLength=1000),
        f("YZ_RDYJ", "认定依据", required=True, maxLength=500), f("YZ_RDRQ", "认定日期", "date", True), f("YZ_YXQZ", "有效期至", "date"),
    ], ["YZ_RDWH", "YZ_JGDM"], "YZ_RDRQ", until="YZ_YXQZ", persons=False),
    item("htly", "合同履行信息", "合同履行信息", "shared", "none", "HT", [
        f("HT_HTBH", "合同编号", required=True, maxLength=128), f("HT_HTMC", "合同名称", required=True, maxLength=200),
        f("HT_QDRQ", "签订日期", "date", True), f("HT_LYQK", "履约情况", required=True, maxLength=1000),
    ], ["HT_HTBH", "HT_JGDM"], "HT_QDRQ", note="[U] 公开属性暂按政务共享"),
    item("xycn", "信用承诺", "信用承诺及其履行情况信息", "public", "validity", "CN", [
        f("CN_CNLX", "承诺类型", required=True, maxLength=100), f("CN_CNSX", "承诺事项", required=True, maxLength=1000),
        f("CN_CNRQ", "承诺日期", "date", True), f("CN_YXQZ", "承诺有效期至", "date"), f("CN_LYQK", "履约情况", maxLength=500),
    ], ["CN_XDR_SHXYM", "CN_CNSX", "CN_CNRQ"], "CN_CNRQ", until="CN_YXQZ", persons=False),
    item("xypj", "信用评价结果", "信用评价结果信息", "public", "validity", "PJ", [
        f("PJ_PJLB", "评价类别", required=True, maxLength=100), f("PJ_PJJG", "评价结果", required=True, maxLength=50),
        f("PJ_PJND", "评价年度", maxLength=10), f("PJ_PJRQ", "评价日期", "date", True), f("PJ_YXQZ", "有效期至", "date"),
    ], ["PJ_XDR_SHXYM", "PJ_PJLB", "PJ_PJRQ"], "PJ_PJRQ", until="PJ_YXQZ", persons=False),
    item("zsfg", "遵守法律法规情况", "遵守法律法规情况信息", "shared", "none", "ZF", [
        f("ZF_SXMC", "事项名称", required=True, maxLength=200), f("ZF_QKSM", "情况说明", required=True, maxLength=2000),
        f("ZF_CJRQ", "出具日期", "date", True),
    ], ["ZF_XDR_SHXYM", "ZF_SXMC", "ZF_CJRQ"], "ZF_CJRQ", persons=False, note="[U] 2022 年版新增类别；公开属性暂按政务共享"),
    item("ryxx", "诚实守信相关荣誉", "诚实守信相关荣誉信息", "public", "validity", "RY", [
        f("RY_RYMC", "荣誉名称", required=True, maxLength=200), f("RY_WH", "授予文号", required=True, maxLength=128),
        f("RY_SYRQ", "授予日期", "date", True), f("RY_YXQZ", "有效期至", "date"),
    ], ["RY_WH", "RY_XDR_MC"], "RY_SYRQ", until="RY_YXQZ", persons=False),
    item("zscq", "知识产权信息", "知识产权信息", "shared", "none", "ZC", [
        f("ZC_LB", "类别（专利、商标、著作权等）", required=True, maxLength=50), f("ZC_BH", "登记或授权编号", required=True, maxLength=128),
        f("ZC_MC", "名称", required=True, maxLength=200), f("ZC_RQ", "授权或登记日期", "date", True),
    ], ["ZC_BH", "ZC_JGDM"], "ZC_RQ", persons=False, note="[U] 2024 年版新增类别；公开属性暂按政务共享"),
    item("zytg", "市场主体自愿提供的信用信息", "经营主体自愿提供的信用信息", "authorized", "none", "ZY", [
        f("ZY_XXMC", "信息名称", required=True, maxLength=200), f("ZY_NR", "信息内容", required=True, maxLength=4000),
        f("ZY_TGRQ", "提供日期", "date", True),
    ], ["ZY_XDR_SHXYM", "ZY_XXMC", "ZY_TGRQ"], "ZY_TGRQ", persons=False, note="主体自愿提供，经其授权方可查询"),
]

catalog["codeLists"]["xdr_lb_org"] = ["法人及非法人组织", "个体工商户"]
kept = [i for i in catalog["items"] if not i.get("generated")]
catalog["items"] = kept + generated
catalog["version"] = "2021-双公示-1+目录-2024-2"
path.write_text(json.dumps(catalog, ensure_ascii=False, indent=1) + "\n")
print(f"{len(kept)} hand-maintained items kept, {len(generated)} generated")
