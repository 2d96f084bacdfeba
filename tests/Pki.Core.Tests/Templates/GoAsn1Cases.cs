namespace Smallstep.Pki.Tests.Templates;

/// <summary>
/// Generated: each template was run through Go 1.19 text/template with sprig 3.2.3 and a
/// re-typed copy of step's functions (TZ=America/New_York); see <see cref="GoCrossCheck"/>.
/// </summary>
internal static class GoAsn1Cases
{
    public static readonly GoCase[] Cases =
    [
        new("enc_basic", "{{ asn1Enc \"abc\" }} {{ asn1Enc \"printable:abc\" }} {{ asn1Enc \"utf8:h\u00e9llo\" }} {{ asn1Enc \"ia5:a@b.c\" }} {{ asn1Enc \"numeric:123 45\" }}", "", "EwNhYmM= EwNhYmM= DAZow6lsbG8= FgVhQGIuYw== EgYxMjMgNDU="),
        new("enc_int", "{{ asn1Enc \"int:123\" }} {{ asn1Enc \"int:0\" }} {{ asn1Enc \"int:-1\" }} {{ asn1Enc \"int:128\" }} {{ asn1Enc \"int:-129\" }} {{ asn1Enc \"int:9223372036854775807\" }} {{ asn1Enc \"int:+5\" }}", "", "AgF7 AgEA AgH/ AgIAgA== AgL/fw== Agh//////////w== AgEF"),
        new("enc_oid", "{{ asn1Enc \"oid:1.2.3\" }} {{ asn1Enc \"oid:2.999.1\" }} {{ asn1Enc \"oid:1.3.6.1.4.1.311.21.7\" }}", "", "BgIqAw== BgOINwE= BgkrBgEEAYI3FQc="),
        new("enc_bool", "{{ asn1Enc \"bool:true\" }} {{ asn1Enc \"bool:0\" }} {{ asn1Enc \"boolean:T\" }}", "", "AQH/ AQEA AQH/"),
        new("enc_raw", "{{ asn1Enc \"raw:BAMBAgM=\" }} {{ asn1Enc \"raw:\" }}", "", "BAMBAgM= "),
        new("enc_time", "{{ asn1Enc \"utc:2024-07-02T23:16:02Z\" }} {{ asn1Enc \"generalized:2024-07-02T23:16:02-05:00\" }} {{ asn1Enc \"utc:1949-12-31T23:59:59Z\" }} {{ asn1Enc \"generalized:2024-07-02 23:16:02.5 +0000 UTC\" }}", "", "Fw0yNDA3MDIyMzE2MDJa GBMyMDI0MDcwMjIzMTYwMi0wNTAw GA8xOTQ5MTIzMTIzNTk1OVo= GA8yMDI0MDcwMjIzMTYwMlo="),
        new("enc_unknown_type", "{{ asn1Enc \"foo:bar\" }} {{ asn1Enc \"foo:a&b\" }} {{ asn1Enc \"a*b\" }} {{ asn1Enc \":x\" }} {{ asn1Enc \"explicit:abc\" }} {{ asn1Enc \"utf8,explicit:x\" }}", "", "EwNiYXI= DANhJmI= EwNhKmI= EwF4 oAUTA2FiYw== oAMMAXg="),
        new("enc_err_int", "{{ asn1Enc \"int:abc\" }}", "", "ERR: error calling asn1Enc: invalid int value: strconv.Atoi: parsing \"abc\": invalid syntax"),
        new("enc_err_oid", "{{ asn1Enc \"oid:1.x\" }}", "", "ERR: error calling asn1Enc: invalid oid value: error unmarshaling json: 1.x is not an ASN1 object identifier"),
        new("enc_err_oid2", "{{ asn1Enc \"oid:5.1\" }}", "", "ERR: error calling asn1Enc: asn1: structure error: invalid object identifier"),
        new("enc_err_oid3", "{{ asn1Enc \"oid:\" }}", "", "ERR: error calling asn1Enc: asn1: structure error: invalid object identifier"),
        new("enc_err_bool", "{{ asn1Enc \"bool:yes\" }}", "", "ERR: error calling asn1Enc: invalid bool value: strconv.ParseBool: parsing \"yes\": invalid syntax"),
        new("enc_err_raw", "{{ asn1Enc \"raw:!!\" }}", "", "ERR: error calling asn1Enc: illegal base64 data at input byte 0"),
        new("enc_err_raw2", "{{ asn1Enc \"raw:YQ\" }}", "", "ERR: error calling asn1Enc: illegal base64 data at input byte 0"),
        new("enc_err_raw3", "{{ asn1Enc \"raw:YQ==x\" }}", "", "ERR: error calling asn1Enc: illegal base64 data at input byte 4"),
        new("enc_err_ia5", "{{ asn1Enc \"ia5:\u00e9\" }}", "", "ERR: error calling asn1Enc: invalid ia5 value"),
        new("enc_err_num", "{{ asn1Enc \"numeric:12a\" }}", "", "ERR: error calling asn1Enc: invalid numeric value"),
        new("enc_err_print", "{{ asn1Enc \"printable:a_b\" }}", "", "ERR: error calling asn1Enc: invalid printable value"),
        new("enc_err_amp", "{{ asn1Enc \"a&b\" }}", "", "ERR: error calling asn1Enc: asn1: structure error: PrintableString contains invalid character"),
        new("enc_err_time", "{{ asn1Enc \"utc:yesterday\" }}", "", "ERR: error calling asn1Enc: invalid utc value: parsing time \"yesterday\" as \"2006-01-02 15:04:05.999999999 -0700 MST\": cannot parse \"yesterday\" as \"2006\""),
        new("marshal", "{{ asn1Marshal \"abc\" }} {{ asn1Marshal \"a*b\" }} {{ asn1Marshal \"abc\" \"utf8\" }} {{ asn1Marshal 5 }} {{ asn1Marshal true }} {{ asn1Marshal \"abc\" \"explicit\" \"tag:1\" }} {{ asn1Marshal \"abc\" \"tag:2\" }} {{ asn1Marshal 1 \"tag:40\" \"application\" }} {{ asn1Marshal 0 \"optional\" }} {{ asn1Marshal 5 \"optional\" \"default:5\" }} {{ asn1Marshal 6 \"optional\" \"default:5\" }} {{ asn1Marshal \"\" \"optional\" }}", "", "EwNhYmM= DANhKmI= DANhYmM= AgEF AQH/ oQUTA2FiYw== ggNhYmM= XygBAQ==   AgEG "),
        new("marshal_list", "{{ asn1Marshal (list 1 \"a\" true) }} {{ asn1Marshal (list 2 1) \"set\" }} {{ asn1Marshal (list) }} {{ asn1Marshal (list (list 1)) }} {{ asn1Marshal (list \"x\") \"private\" \"tag:3\" }}", "", "MAkCAQETAWEBAf8= MQYCAQECAQI= MAA= MAUwAwIBAQ== 4wMTAXg="),
        new("marshal_time", "{{ asn1Marshal (toTime 1700000000) }} {{ asn1Marshal (toTime 1700000000) \"generalized\" }} {{ asn1Marshal (toTime 4102444800) }} {{ asn1Marshal (mustParseTime \"2024-07-02T23:16:02+02:00\") }}", "", "Fw0yMzExMTQyMjEzMjBa GA8yMDIzMTExNDIyMTMyMFo= GA8yMTAwMDEwMTAwMDAwMFo= FxEyNDA3MDIyMzE2MDIrMDIwMA=="),
        new("marshal_err_nil", "{{ asn1Marshal nil }}", "", "ERR: error calling asn1Marshal: asn1: cannot marshal nil value"),
        new("marshal_err_map", "{{ asn1Marshal (dict \"a\" 1) }}", "", "ERR: error calling asn1Marshal: asn1: structure error: unknown Go type: map[string]interface {}"),
        new("marshal_err_float", "{{ asn1Marshal 1.5 }}", "", "ERR: error calling asn1Marshal: asn1: structure error: unknown Go type: float64"),
        new("marshal_err_set", "{{ asn1Marshal \"x\" \"set\" }}", "", "ERR: error calling asn1Marshal: asn1: structure error: non sequence tagged as set"),
        new("marshal_err_strtype", "{{ asn1Marshal 1 \"ia5\" }}", "", "ERR: error calling asn1Marshal: asn1: structure error: explicit string type given to non-string member"),
        new("marshal_err_timetype", "{{ asn1Marshal \"x\" \"utc\" }}", "", "ERR: error calling asn1Marshal: asn1: structure error: explicit time type given to non-time member"),
        new("marshal_err_print", "{{ asn1Marshal \"a&b\" \"printable\" }}", "", "ERR: error calling asn1Marshal: asn1: structure error: PrintableString contains invalid character"),
        new("marshal_err_elem", "{{ asn1Marshal (list 1 nil) }}", "", "ERR: error calling asn1Marshal: asn1: cannot marshal nil value"),
        new("seq", "{{ asn1Seq (asn1Enc \"int:1\") (asn1Enc \"abc\") }} {{ asn1Set (asn1Enc \"int:2\") (asn1Enc \"int:1\") }} {{ asn1Seq }} {{ asn1Seq \"\" }}", "", "MAgCAQETA2FiYw== MQYCAQICAQE= MAA= MAA="),
        new("seq_long", "{{ asn1Seq (asn1Enc (printf \"utf8:%s\" (repeat 200 \"x\"))) }}", "", "MIHLDIHIeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg="),
        new("seq_err", "{{ asn1Seq \"!!\" }}", "", "ERR: error calling asn1Seq: illegal base64 data at input byte 0"),
        new("step_example", "{{ asn1Seq (asn1Enc \"oid:1.3.6.1.5.5.7.3.1\") (asn1Marshal (list \"a\" \"b\")) }}", "", "MBIGCCsGAQUFBwMBMAYTAWETAWI="),
    ];
}
