#!/usr/bin/env bash
# Writes the sample Word submissions under samples/forms/ (committed; used by `make demo`):
# three candidates filled into formscan's template, one of them with defects to return.
set -euo pipefail
cd "$(dirname "$0")"
bin=../target/release/formscan
id() { python3 ../tests/data/make_python_docx.py --id "$1"; }
rm -f forms/*.docx

"$bin" template -o forms/01-baotou-steel.docx --set cover_name=乌日娜 --set "cover_employer=包头钢铁（集团）有限责任公司" \
  --set cover_region=包头市 --set fill_date=2023-05-10 --set name=乌日娜 --set gender=女 --set birth_month=1986.03 \
  --set native_place=内蒙古包头 --set ethnicity=蒙古族 --set political_status=中共党员 --set education=大学本科 \
  --set work_start=2008.07 --set "id_number=$(id 15020319860315122)" --set "employer=包头钢铁（集团）有限责任公司" \
  --set phone=13904721234 --set position=炼钢工 --set title=高级工程师 --set skill_level=高级技师 \
  --set "awards=2019年5月，被包头市总工会授予“包头市五一劳动奖章”称号" \
  --set "resume=2004.09—2008.07 内蒙古科技大学冶金工程专业\n2008.07至今 包钢炼钢厂炼钢工" \
  --set "social_relations=丈夫 巴特尔 包钢集团职工" --set "deeds=扎根炼钢一线十五年，主持技术攻关十二项。" \
  --set votes.term=七 --set votes.session=三 --set votes.attended=126 --set votes.approved=120 --set votes.opposed=2 >/dev/null

"$bin" template -o forms/02-hohhot-hospital.docx --set cover_name="阿拉坦·巴根" --set cover_employer=呼和浩特市第一医院 \
  --set cover_region=呼和浩特市 --set fill_date=2023-05-12 --set "name=阿拉坦 · 巴根" --set gender=男 --set birth_month=1979年11月 \
  --set native_place=内蒙古锡林郭勒 --set ethnicity=蒙古 --set political_status=民盟 --set education=硕士研究生 \
  --set work_start=2005.8 --set "id_number=$(id 15010219791103401)" --set employer=呼和浩特市第一医院 \
  --set "phone=0471 — 5109211" --set position=护士 --set title=主管护师 --set skill_level=无 \
  --set "awards=2021年3月，被呼和浩特市卫健委评为“优秀护士”" \
  --set "resume=2001.09—2005.07 内蒙古医科大学护理学专业\n2005.08至今 呼和浩特市第一医院急诊科护士" \
  --set "deeds=十八年坚守急诊一线，抢救危重患者三千余人次。" \
  --set votes.term=5 --set votes.session=2 --set votes.attended=88 --set votes.approved=85 --set votes.opposed=0 >/dev/null

# Defects to return: no phone, a wrong ID check digit, approval below half, a head of unit.
"$bin" template -o forms/03-ordos-sanitation.docx --set cover_name=王建国 --set cover_employer=鄂尔多斯市东胜区环卫中心 \
  --set cover_region=鄂尔多斯市 --set fill_date=2023-05-25 --set name=王建国 --set gender=男 --set birth_month=1975.06 \
  --set native_place=山西忻州 --set ethnicity=汉族 --set political_status=群众 --set education=高中 \
  --set work_start=1996.03 --set id_number=150602197506150010 --set employer=鄂尔多斯市东胜区环卫中心 \
  --set position=主任 --set "resume=1996.03至今 东胜区环卫中心" --set "deeds=清扫保洁二十七年。" \
  --set votes.term=三 --set votes.session=一 --set votes.attended=60 --set votes.approved=25 --set votes.opposed=20 >/dev/null
ls forms
