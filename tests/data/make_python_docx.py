"""Writes fixtures with python-docx, as a unit would type the official form in a word
processor: a cover of plain paragraphs and the 15-row table, no content controls. Also
writes a .docx of the notice text (a document that is not the form), and computes an ID
number's GB 11643-1999 check digit for the fixture script."""
import argparse
import docx

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_digit(seventeen):
    return "10X98765432"[sum(int(c) * w for c, w in zip(seventeen, W)) % 11]


def form(path, id_value):
    d = docx.Document()
    d.add_paragraph("2023年度内蒙古自治区“最美职工”")
    d.add_paragraph("推 荐 申 报 表")
    d.add_paragraph("姓          名    乌 日 娜")
    d.add_paragraph("工  作  单  位    包头钢铁(集团)有限责任公司")
    d.add_paragraph("所在盟市、产业    包头市")
    d.add_paragraph("填报日期  2023 年 5 月 10 日")
    d.add_page_break()
    t = d.add_table(rows=15, cols=7)
    t.style = "Table Grid"

    def put(r, c, text, span=1):
        cell = t.cell(r, c)
        if span > 1:
            cell = cell.merge(t.cell(r, c + span - 1))
        cell.text = text

    put(0, 0, "姓名"); put(0, 1, "乌日娜"); put(0, 2, "性别"); put(0, 3, "女"); put(0, 4, "出生年月"); put(0, 5, "1986年3月")
    photo = t.cell(0, 6).merge(t.cell(5, 6)); photo.text = "正面白底\n免冠近照\n(2寸)"
    put(1, 0, "籍贯"); put(1, 1, "内蒙古包头"); put(1, 2, "民族"); put(1, 3, "蒙古"); put(1, 4, "政治面貌"); put(1, 5, "党员")
    put(2, 0, "学历"); put(2, 1, "大学本科"); put(2, 2, "何时参加工作"); put(2, 3, "2008年7月", 3)
    put(3, 0, "身份证号码"); put(3, 1, id_value[:6] + " " + id_value[6:14] + " " + id_value[14:], 5)
    put(4, 0, "工作单位"); put(4, 1, "包头钢铁（集团）有限责任公司", 5)
    put(5, 0, "联系电话"); put(5, 1, "139 0472 1234", 5)
    put(6, 0, "职务"); put(6, 1, "炼钢工"); put(6, 2, "职称"); put(6, 3, "高级工程师"); put(6, 4, "技术等级"); put(6, 5, "高级技师", 2)
    put(7, 0, "何时何地受过何种奖励"); put(7, 1, "2019年5月，被包头市总工会授予“包头市五一劳动奖章”称号", 6)
    put(8, 0, "个  人  简  历"); put(8, 1, "2004.09—2008.07 内蒙古科技大学冶金工程专业\n2008.07至今 包钢炼钢厂炼钢工", 6)
    put(9, 0, "主要社会关系"); put(9, 1, "丈夫 巴特尔 包钢集团职工\n女儿 其其格 学生", 6)
    put(10, 0, "主要事迹(3000字)"); put(10, 1, "扎根炼钢一线十五年，主持技术攻关十二项，创效三千余万元。", 6)
    put(11, 0, "所在单位职代会意见")
    put(11, 1, "经 七 届 三 次职代会通过并公示。出席会议 126 人，其中同意 120 人，反对 2 人。\n\n负责人签名：\n公章\n年  月  日", 6)
    put(12, 0, "所在单位工会意见"); put(12, 1, "\n负责人签名：\n公章\n年  月  日", 6)
    put(13, 0, "旗县工会意见(公章):\n\n负责人签字：\n年  月  日", 3); put(13, 3, "旗县党委宣传部意见(公章):\n\n负责人签字：\n年  月  日", 4)
    put(14, 0, "盟市、自治区产业工会意见 (公章):\n\n负责人签字：\n年  月  日", 3)
    put(14, 3, "盟市委宣传部、自治区产业工会党委(党组)意见(公章):\n\n负责人签字：\n年  月  日", 4)
    d.add_paragraph("说 明 ：")
    d.save(path)


def notice(src, path):
    d = docx.Document()
    try:
        text = open(src, encoding="utf-8").read()
    except OSError:
        text = "关于开展选树2023年度自治区“最美职工”活动的通知"
    for line in text.splitlines()[:60]:
        d.add_paragraph(line)
    d.save(path)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--id")
    p.add_argument("--form")
    p.add_argument("--id-value")
    p.add_argument("--notice", nargs=2)
    a = p.parse_args()
    if a.id:
        print(a.id + check_digit(a.id))
    elif a.form:
        form(a.form, a.id_value)
    elif a.notice:
        notice(*a.notice)
