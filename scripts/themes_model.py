"""A Python model of the steps of `lodestar themes` (Sources/LodestarCore/Text), for trying ideas cheaply on the
DEVELOPMENT sets before writing them in Swift. Never run it on the held-out sets (heldout-survey.tsv, chatterbot).

Usage: python3 scripts/themes_model.py LABELLED_TSV...      (label<TAB>text lines)
prints, for each set, NMI with the true count (median over 5 k-means seeds) of: words (TF-IDF over stemmed words
without stop words and word pairs, LSA, smoothing), MiniLM + k-means, and meaning beside words (weight 0.85).

It approximates, it does not reproduce: the tokenizer is a regular expression, typo folding is left out, and
k-means is scikit-learn's (Euclidean on rows of length 1, 10 starts) rather than Lodestar's spherical k-means from a
fixed seed. Differences of a few hundredths here did not always carry over to the binary (README, "Second round");
check them with scripts/themes_orders.py. Needs scikit-learn, snowballstemmer (pip install snowballstemmer), and for
the meaning rows the model and numpy reference that scripts/themes_quality.py uses (vectors cached the same way).
"""
import re, sys, math, statistics, os
import numpy as np
import snowballstemmer
from scipy import sparse
from sklearn.cluster import KMeans, AgglomerativeClustering, SpectralClustering
from sklearn.metrics import normalized_mutual_info_score as nmi, silhouette_score
from sklearn.utils.extmath import randomized_svd
from sklearn.neighbors import NearestNeighbors

STOP = set("""a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each even ever every few for from further get gets getting got had has have having he her here hers herself him himself his how i i'd i'll i'm i've if in into is it it's its itself just let's lot lots me might more most much must my myself of off often on once one only or other ought our ours ourselves out over own pretty quite rather really same she should so some still such than that that's the their theirs them themselves then there there's these they they're thing things this those through to too under until up us very was we we're we've were what what's when where which while who whom why will with would you you're your yours yourself yourselves""".split())
NEG = {"no","not","nor","never","none","nobody","nothing","nowhere","without"}
def is_neg(w): return w.endswith("n't") or w in NEG
ST = snowballstemmer.stemmer('english')
TOK = re.compile(r"[^\W_]+(?:[./_'][^\W_]+)*(?:[#+]+)?", re.U)

def terms(text):
    out=[]
    for m in TOK.finditer(text.lower().replace("\u2019","'")):
        t=m.group(0)
        if re.search(r"[^\W\d_]", t): out.append(t)
    return out

def read(path):
    L,T=[],[]
    for line in open(path,encoding='utf-8'):
        l,t=line.rstrip('\n').split('\t',1); L.append(l); T.append(t)
    return L,T

def documents(texts, stop='full', pairs=True):
    docs=[]
    for t in texts:
        ws=terms(t)
        if stop=='full': ws=[w for w in ws if w not in STOP]
        st=[ST.stemWord(w) for w in ws]
        uni=[s for w,s in zip(ws,st) if not (stop=='full' and is_neg(w))]
        pr=[a+' '+b for a,b in zip(st,st[1:]) if a!=b] if pairs else []
        docs.append(uni+pr)
    return docs

def tfidf(docs, min_df=None):
    n=len(docs)
    if min_df is None: min_df=2 if n>=20 else 1
    df={}
    for d in docs:
        for t in set(d): df[t]=df.get(t,0)+1
    vocab=sorted(t for t,c in df.items() if c>=min_df)
    idx={t:i for i,t in enumerate(vocab)}
    idf=np.array([math.log((1+n)/(1+df[t]))+1 for t in vocab])
    rows,cols,vals=[],[],[]
    for r,d in enumerate(docs):
        c={}
        for t in d:
            if t in idx: c[idx[t]]=c.get(idx[t],0)+1
        if not c: continue
        w=np.array([(1+math.log(v))*idf[k] for k,v in c.items()]); w/=np.linalg.norm(w)
        rows+= [r]*len(c); cols+=list(c.keys()); vals+=list(w)
    return sparse.csr_matrix((vals,(rows,cols)),shape=(n,len(vocab)))

def normalise(M):
    nr=np.linalg.norm(M,axis=1,keepdims=True); nr[nr==0]=1; return M/nr

def lsa(X, dims=None):
    n=X.shape[0]
    if dims is None: dims=max(1,min(100,X.shape[1],max(2,n//5)))
    U,S,VT=randomized_svd(X,dims,n_iter=4,random_state=0)
    return normalise(U*S)

def side(a,b,wa):
    return np.hstack([a*math.sqrt(wa), b*math.sqrt(1-wa)])

def centred(E): return normalise(E-E.mean(0))

def smooth(R,k=5,own=0.5):
    S=R@R.T; np.fill_diagonal(S,-np.inf)
    nb=np.argsort(-S,axis=1)[:,:k]
    return normalise(own*R+(1-own)*R[nb].mean(1))

def kmeans(R,k,seed=0,n_init=10):
    return KMeans(n_clusters=k,n_init=n_init,random_state=seed).fit_predict(R)


def vectors(texts):
    """MiniLM sentence vectors from scripts/minilm_reference.py, cached as scripts/themes_quality.py caches them."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import themes_quality
    return themes_quality.sentence_vectors(texts)


def median_nmi(labels, rows, k, seeds=5):
    return statistics.median(nmi(labels, kmeans(rows, k, seed=s)) for s in range(seeds))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.split("\n\n")[1])
    for path in sys.argv[1:]:
        labels, texts = read(path)
        k = len(set(labels))
        topics = lsa(tfidf(documents(texts)))
        sentences = vectors(texts)
        words = median_nmi(labels, smooth(topics), k)
        minilm = median_nmi(labels, sentences, k)
        both = median_nmi(labels, smooth(normalise(side(topics, centred(sentences), 0.15))), k)
        print("%s: words %.3f, MiniLM + k-means %.3f, meaning and words %.3f" % (path, words, minilm, both), flush=True)


if __name__ == "__main__":
    main()
