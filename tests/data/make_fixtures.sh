#!/usr/bin/env bash
# Regenerates the .docx fixtures under tests/data/docx/ with the programs that make such files
# in the wild: formscan's own template, LibreOffice re-saving it, python-docx typing the
# official table without content controls, msoffcrypto-tool encrypting, LibreOffice writing an
# old .doc. Needs: target/release/formscan, soffice, python3 with python-docx and
# msoffcrypto-tool (pip install python-docx msoffcrypto-tool). The outputs are committed.
set -euo pipefail
cd "$(dirname "$0")"
out=docx
bin=../../target/release/formscan
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -f "$out"/*.docx "$out"/*.txt

id=$(python3 make_python_docx.py --id 15020319860315122)
common=(--set cover_name=乌日娜 --set "cover_employer=包头钢铁（集团）有限责任公司" --set cover_region=包头市
  --set fill_date=2023-05-10 --set name=乌日娜 --set gender=女 --set birth_month=1986.03
  --set native_place=内蒙古包头 --set ethnicity=蒙古族 --set political_status=中共党员 --set education=大学本科
  --set work_start=2008.07 --set "employer=包头钢铁（集团）有限责任公司" --set position=炼钢工
  --set title=高级工程师 --set skill_level=高级技师
  --set "awards=2019年5月，被包头市总工会授予“包头市五一劳动奖章”称号"
  --set "resume=2004.09—2008.07 内蒙古科技大学冶金工程专业\n2008.07至今 包钢炼钢厂炼钢工"
  --set "social_relations=丈夫 巴特尔 包钢集团职工\n女儿 其其格 学生"
  --set "deeds=扎根炼钢一线十五年，主持技术攻关十二项，创效三千余万元。"
  --set votes.term=七 --set votes.session=三)
"$bin" template -o "$out/good-formscan.docx" "${common[@]}" --set id_number="$id" --set phone=13904721234 \
  --set votes.attended=126 --set votes.approved=120 --set votes.opposed=2 >/dev/null

# The same form opened and saved by LibreOffice (its own XML writer).
soffice -env:UserInstallation=file://$tmp/profile --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$tmp" "$out/good-formscan.docx" >/dev/null 2>&1
mv "$tmp/good-formscan.docx" "$out/good-libreoffice.docx"

# The official table typed by hand in python-docx: no content controls, values as people type them.
python3 make_python_docx.py --form "$out/good-python-docx.docx" --id-value "$id"
python3 make_python_docx.py --notice ../../../shared/source/notice-2023.txt "$out/notice.docx" 2>/dev/null \
  || python3 make_python_docx.py --notice /dev/null "$out/notice.docx"

# Planted defects: no phone, a wrong ID check digit, a vote that did not pass, a head of the
# unit, a regional 五一劳动奖章, three years of service.
bad_id="${id:0:17}$([ "${id:17:1}" = 0 ] && echo 1 || echo 0)"
"$bin" template -o "$out/defective-formscan.docx" "${common[@]}" --set id_number="$bad_id" \
  --set votes.attended=126 --set votes.approved=60 --set votes.opposed=50 --set position=董事长 \
  --set "awards=2021年4月，被内蒙古自治区总工会授予“自治区五一劳动奖章”" --set work_start=2020.09 >/dev/null

# Bad inputs.
head -c 3000 "$out/good-formscan.docx" > "$out/truncated.docx"
python3 -c "import sys; from msoffcrypto.format.ooxml import OOXMLFile; f=OOXMLFile(open(sys.argv[1],'rb')); f.encrypt('secret', open(sys.argv[2],'wb'))" "$out/good-formscan.docx" "$out/encrypted.docx"
soffice -env:UserInstallation=file://$tmp/profile --headless --convert-to 'doc:MS Word 97' --outdir "$tmp" "$out/good-formscan.docx" >/dev/null 2>&1
mv "$tmp/good-formscan.doc" "$out/legacy-renamed.docx"
python3 - "$out/zipbomb.docx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", b"<w:document>" + b" " * (300 << 20) + b"</w:document>")
PY
echo "这不是申报表。" > "$out/readme.txt"
ls -la "$out"
