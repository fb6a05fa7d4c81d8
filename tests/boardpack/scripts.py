"""A portfolio whose names are in every script the board pack supports, with amounts from pennies to
hundreds of millions: the input of the script and number tests (imported by the tests, not collected)."""

from __future__ import annotations

NAMES = {
    "latin": "Enterprise-wide procurement, invoicing and supplier-relationship modernisation programme (phase two)",
    "arabic": "برنامج تحديث المشتريات والفوترة وعلاقات الموردين على مستوى المؤسسة",
    "hebrew": "תוכנית מודרניזציה של הרכש, החיוב וניהול קשרי הספקים בכל הארגון",
    "korean": "전사적 조달 및 청구 시스템 현대화 프로그램 2단계",
    "thai": "โครงการปรับปรุงระบบจัดซื้อจัดจ้างและการเรียกเก็บเงินทั่วทั้งองค์กร น้ำใจ",
    "devanagari": "संपूर्ण उद्यम में क्रय और बिलिंग आधुनिकीकरण कार्यक्रम क्षत्रिय प्रबंधन",
    "chinese": "全企业采购、开票与供应商关系现代化计划（第二阶段）",
}
# A right-to-left description long enough to wrap: its first word must come out on its first line.
HEBREW_LONG = ("ראשית " + " ".join(["התוכנית מחליפה את מערכות הרכש הישנות"] * 8) + " אחרית")
ARABIC_LONG = ("أولا " + " ".join(["يستبدل البرنامج أنظمة الشراء القديمة في جميع الفروع"] * 7) + " أخيرا")
CODES = {script: f"{script[:3].upper()}-{n + 1}" for n, script in enumerate(NAMES)}


def document() -> dict:
    initiatives, benefits, measurements, spend, rules = [], [], [], [], []
    amounts = {"latin": "468000000", "arabic": "12500000.50", "hebrew": "950000", "korean": "45000",
               "thai": "780", "devanagari": "1250000", "chinese": "3.20"}
    for n, (script, name) in enumerate(NAMES.items()):
        code = CODES[script]
        description = {"hebrew": HEBREW_LONG, "arabic": ARABIC_LONG}.get(script, f"{name} — {name}")
        initiatives.append({"code": code, "name": name, "stage": "delivery", "description": description,
                            "sponsor": name[:30], "owner": name[:20], "planned_investment": amounts[script],
                            "approval_date": "2025-01-15", "planned_go_live": "2025-07-01",
                            "risk_likelihood": 1 + n % 5, "risk_impact": 1 + (n * 2) % 5,
                            "objectives": [{"code": "OBJ-1"}] if n % 2 == 0 else []})
        benefit = f"{code}-B1"
        benefits.append({"code": benefit, "initiative": code, "title": f"{name} — saving", "category": "cash-releasing",
                         "owner": name[:25], "measure": "cost per case", "unit": "£", "direction": "lower",
                         "baseline_value": "40000", "baseline_date": "2025-01-01", "target_value": "25000",
                         "target_date": "2026-12-31",
                         "annual_value": str(int(float(amounts[script]) // 3) + 1)})
        for month in range(1, 19):
            measurements.append({"benefit": benefit, "date": f"{2025 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-15",
                                 "value": str(40000 - month * (400 + 150 * n))})
        spend.append({"initiative": code, "period_end": "2026-12-31", "amount": amounts[script]})
        rules.append({"code": "R1", "initiative": code, "metric": "realisation_vs_plan_pct", "comparator": "<",
                      "threshold": "200", "action": ["terminate", "pause", "pivot", "escalate", "review"][n % 5],
                      "agreed_on": "2025-01-10", "agreed_by": name[:15], "applies_from": "approval"})
    return {
        "portfolio": {"name": f"Multi-script portfolio {NAMES['korean'][:6]} {NAMES['thai'][:6]}", "currency": "GBP",
                      "client": f"{NAMES['arabic'][:20]} & {NAMES['hebrew'][:15]}",
                      "confidentiality": "STRICTLY CONFIDENTIAL — BOARD MEMBERS ONLY — NOT FOR ONWARD DISTRIBUTION"},
        "objectives": [{"code": "OBJ-1", "title": NAMES["devanagari"], "owner": NAMES["korean"][:10], "weight": "2"}],
        "initiatives": initiatives, "benefits": benefits, "measurements": measurements,
        "planned_spend": spend, "pivot_rules": rules,
        "commentary": [
            {"meeting_date": "2026-06-30", "initiative": None, "author": "Amara Okafor (PMO lead)",
             "text": "The board should weigh the procurement programme against its 468m cost before anything else."},
            {"meeting_date": "2026-06-30", "initiative": CODES["hebrew"], "author": "דנה לוי",
             "text": HEBREW_LONG},
            {"meeting_date": "2026-06-30", "initiative": CODES["thai"], "author": "PMO",
             "text": "ความเห็นของสำนักงานบริหารโครงการ น้ำใจ"},
            {"meeting_date": "2026-03-31", "initiative": None, "author": "Amara Okafor (PMO lead)",
             "text": "An older meeting's words, not printed in this pack."},
        ],
    }
