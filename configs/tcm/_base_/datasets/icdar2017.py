# ICDAR2017 (MLT17) in the layout MMOCR's dataset preparer writes
# (python tools/dataset_converters/prepare_dataset.py icdar2017 --task textdet in MMOCR),
# read by CheckedOCRDataset: bad annotations and images are reported by name.
icdar2017_textdet_data_root = 'data/icdar2017'
__icdar2017 = dict(type='CheckedOCRDataset', data_root=icdar2017_textdet_data_root)
icdar2017_textdet_train = dict(
    __icdar2017, ann_file='textdet_train.json', filter_cfg=dict(filter_empty_gt=True, min_size=32))
icdar2017_textdet_test = dict(__icdar2017, ann_file='textdet_test.json', test_mode=True)
